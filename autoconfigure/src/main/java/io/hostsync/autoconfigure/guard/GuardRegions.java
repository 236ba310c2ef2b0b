package io.hostsync.autoconfigure.guard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncProperties;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * The regions that guarded methods may name: every {@link SharedRegion} bean, by region name,
 * whether auto-configured or defined by the application; and the default region, the one
 * injected without a qualifier. Looked up when the first guarded method is resolved, not
 * when the advisor is created, so that the region beans are created as ordinary beans.
 */
final class GuardRegions {

    private final ListableBeanFactory beanFactory;

    private final HostsyncProperties properties;

    private final SingletonSupplier<Snapshot> snapshot = SingletonSupplier.of(this::takeSnapshot);

    GuardRegions(ListableBeanFactory beanFactory, HostsyncProperties properties) {
        this.beanFactory = beanFactory;
        this.properties = properties;
    }

    /**
     * Resolves the region an annotation names.
     *
     * @param region the annotation's region, or "" for the default region
     * @param annotation the annotation and method, for messages, such as "@WriteGuarded on X.y()"
     * @return the region name
     * @throws InvalidGuardException if the region is unknown, or there is no default region
     */
    String resolve(String region, String annotation) {
        Snapshot regions = snapshot();
        if (region.isEmpty()) {
            String defaultRegion = regions.defaultRegion();
            if (defaultRegion == null) {
                throw new InvalidGuardException(annotation + " names no region, and there is no default region among "
                        + regions.byName().keySet() + ". Name the region in the annotation (region = \"...\"), or"
                        + " mark one as the default with hostsync.regions.<name>.default=true.");
            }
            return defaultRegion;
        }
        if (!regions.byName().containsKey(region)) {
            throw new InvalidGuardException(annotation + " names region '" + region + "', which is not configured; the"
                    + " configured regions are " + regions.byName().keySet() + ". Name one of them, or configure"
                    + " hostsync.regions." + region + ".");
        }
        return region;
    }

    /**
     * Returns a region by name.
     *
     * @param region a name returned by {@link #resolve(String, String)}
     * @return the region
     */
    SharedRegion region(String region) {
        // resolve() has refused a region without a bean
        return Objects.requireNonNull(snapshot().byName().get(region), () -> "no SharedRegion bean for " + region);
    }

    /**
     * Returns how long a guarded method of a region waits when its annotation gives no timeout.
     *
     * @param region the region name
     * @return the region's {@code acquire-timeout}, or its default for a region not configured
     *     under {@code hostsync.regions}
     */
    Duration acquireTimeout(String region) {
        HostsyncProperties.Region configured = this.properties.getRegions().get(region);
        return (configured != null) ? configured.getAcquireTimeout()
                : HostsyncProperties.Region.DEFAULT_ACQUIRE_TIMEOUT;
    }

    private Snapshot snapshot() {
        return this.snapshot.obtain();
    }

    private Snapshot takeSnapshot() {
        Map<String, SharedRegion> byName = new LinkedHashMap<>();
        for (SharedRegion region : this.beanFactory.getBeansOfType(SharedRegion.class).values()) {
            byName.putIfAbsent(region.name(), region);
        }
        SharedRegion unique = this.beanFactory.getBeanProvider(SharedRegion.class).getIfUnique();
        return new Snapshot(byName, (unique != null) ? unique.name() : null);
    }

    private record Snapshot(Map<String, SharedRegion> byName, @Nullable String defaultRegion) {
    }
}
