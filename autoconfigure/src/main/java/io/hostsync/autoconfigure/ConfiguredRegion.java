package io.hostsync.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.hostsync.RegionFullException;
import io.hostsync.Names;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A region to open, as {@link HostsyncProperties} describe it: the options to open it with,
 * whether it is the default region, and the named locks to create in it.
 *
 * <p>Every invalid value is reported as an {@link InvalidConfigurationPropertyValueException}
 * naming the exact property, so that Spring Boot's failure analysis shows the property, the value,
 * where it was set, and why it was refused.
 *
 * @param options the options to open the region with
 * @param primary whether the region is injected where no qualifier is given
 * @param locks the named locks to create when the region is opened, as configured
 */
record ConfiguredRegion(RegionOptions options, boolean primary, List<String> locks) {

    /** Four octal digits with a leading zero; a bare "600" may be a YAML octal read as decimal. */
    private static final Pattern FILE_MODE = Pattern.compile("0[0-7]{3}");

    ConfiguredRegion {
        locks = List.copyOf(locks);
    }

    /**
     * Opens the region and creates its named locks, so that a region without room for them
     * fails now rather than at the first call that needs one.
     *
     * @return the open region
     * @throws InvalidConfigurationPropertyValueException if a lock name is not allowed, or the
     *     region has no room for the locks
     */
    SharedRegion open() {
        SharedRegion region = SharedRegion.open(this.options);
        try {
            for (int index = 0; index < this.locks.size(); index++) {
                String lock = this.locks.get(index);
                String property = propertyName(this.options.name(), "locks") + "[" + index + "]";
                check(property, lock, () -> region.lock(lock));
            }
            return region;
        } catch (RegionFullException ex) {
            region.close();
            throw new InvalidConfigurationPropertyValueException(propertyName(this.options.name(), "locks"),
                    this.locks, ex.getMessage() + " Raise " + propertyName(this.options.name(), "max-locks")
                            + " (it takes effect when the region is created: stop every process that uses it and"
                            + " delete its file first), or list fewer locks.");
        } catch (RuntimeException ex) {
            region.close();
            throw ex;
        }
    }

    /**
     * Returns the regions to open, in configuration order: the configured ones, or a region named
     * {@value HostsyncProperties#DEFAULT_REGION_NAME} with default settings when none is.
     *
     * @param properties the bound properties
     * @return the regions, at least one
     * @throws InvalidConfigurationPropertyValueException naming the first invalid property
     */
    static List<ConfiguredRegion> resolve(HostsyncProperties properties) {
        Map<String, HostsyncProperties.Region> regions = new LinkedHashMap<>(properties.getRegions());
        if (regions.isEmpty()) {
            regions.put(HostsyncProperties.DEFAULT_REGION_NAME, new HostsyncProperties.Region());
        }
        String defaultRegion = defaultRegionName(regions);
        List<ConfiguredRegion> resolved = new ArrayList<>(regions.size());
        regions.forEach((name, region) -> {
            RegionOptions options = options(name, region, properties);
            checkAcquireTimeout(name, region.getAcquireTimeout());
            resolved.add(new ConfiguredRegion(options, name.equals(defaultRegion), locks(name, region, options)));
        });
        return resolved;
    }

    /**
     * Returns the name of the property that configures a region, or one of its settings.
     *
     * @param regionName the region name
     * @param setting the setting in kebab case, such as {@code size}, or {@code null} for the region
     * @return the property name, such as {@code hostsync.regions.orders.size}, with a region name
     *     that has a dot in brackets, as it must be written: {@code hostsync.regions.[orders.v2].size}
     */
    static String propertyName(String regionName, @Nullable String setting) {
        String key = (regionName.indexOf('.') >= 0) ? "[" + regionName + "]" : regionName;
        String region = HostsyncProperties.PREFIX + ".regions." + key;
        return (setting != null) ? region + "." + setting : region;
    }

    /**
     * The region marked {@code default: true}; else the only region; else the region named
     * "default"; else none, and every injection point must then name its region.
     */
    private static @Nullable String defaultRegionName(Map<String, HostsyncProperties.Region> regions) {
        String marked = null;
        for (Map.Entry<String, HostsyncProperties.Region> entry : regions.entrySet()) {
            if (!entry.getValue().isDefault()) {
                continue;
            }
            if (marked != null) {
                throw new InvalidConfigurationPropertyValueException(propertyName(entry.getKey(), "default"), true,
                        "Region '" + marked + "' is already marked as the default region. Mark only one region with"
                                + " default: true.");
            }
            marked = entry.getKey();
        }
        if (marked != null) {
            return marked;
        }
        if (regions.size() == 1) {
            return regions.keySet().iterator().next();
        }
        return regions.containsKey(HostsyncProperties.DEFAULT_REGION_NAME) ? HostsyncProperties.DEFAULT_REGION_NAME
                : null;
    }

    private static RegionOptions options(String name, HostsyncProperties.Region region,
            HostsyncProperties properties) {
        RegionOptions.Builder builder = check(propertyName(name, null), name, () -> RegionOptions.builder(name));
        builder.directory((region.getDirectory() != null) ? region.getDirectory() : properties.getDirectory());
        builder.allowForeignOwner(region.isAllowForeignOwner());
        builder.allowLooserPermissions(region.isAllowLooserPermissions());
        String fileMode = region.getFileMode();
        check(propertyName(name, "file-mode"), fileMode, () -> builder.fileMode(parseFileMode(fileMode)));
        check(propertyName(name, "max-participants"), region.getMaxParticipants(),
                () -> builder.maxParticipants(region.getMaxParticipants()));
        check(propertyName(name, "open-timeout"), region.getOpenTimeout(),
                () -> builder.openTimeout(region.getOpenTimeout()));
        if (region.getBackend() != null) {
            builder.backend(region.getBackend());
        }
        check(propertyName(name, "max-locks"), region.getMaxLocks(), () -> builder.maxLocks(region.getMaxLocks()));
        check(propertyName(name, "max-entries"), region.getMaxEntries(),
                () -> builder.maxEntries(region.getMaxEntries()));
        // Only the size is checked at build(), as it depends on the numbers of participants, locks and entries.
        return check(propertyName(name, "size"), region.getSize(),
                () -> builder.size(region.getSize().toBytes()).build());
    }

    private static void checkAcquireTimeout(String name, Duration acquireTimeout) {
        if (acquireTimeout == null || acquireTimeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(propertyName(name, "acquire-timeout"), acquireTimeout,
                    "The acquire timeout must be zero (try once without waiting) or a positive duration, such as 30s.");
        }
    }

    /**
     * The named locks as configured. Their number (without duplicates, nor the default lock,
     * which every region has) is checked against max-locks here; their names when the region is
     * opened, as the rule lives in core.
     */
    private static List<String> locks(String name, HostsyncProperties.Region region, RegionOptions options) {
        Set<String> locks = new LinkedHashSet<>(region.getLocks());
        locks.remove(Names.DEFAULT_LOCK);
        if (locks.size() + 1 > options.maxLocks()) {
            throw new InvalidConfigurationPropertyValueException(propertyName(name, "locks"), region.getLocks(),
                    locks.size() + " named locks and the default lock need " + (locks.size() + 1)
                            + " lock records, but "
                            + propertyName(name, "max-locks") + " is " + options.maxLocks() + ". Raise "
                            + propertyName(name, "max-locks") + " to at least " + (locks.size() + 1)
                            + ", or list fewer locks.");
        }
        return region.getLocks();
    }

    private static int parseFileMode(String fileMode) {
        if (fileMode == null || !FILE_MODE.matcher(fileMode).matches()) {
            throw new IllegalArgumentException("File mode must be four octal digits with a leading zero, such as"
                    + " \"0600\" or \"0660\" (in YAML, quote it: an unquoted 0660 is read as a number).");
        }
        return Integer.parseInt(fileMode, 8);
    }

    private static <T> T check(String property, Object value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException ex) {
            // The reason carries the whole message; the builder's stack trace would add nothing.
            throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
        }
    }
}
