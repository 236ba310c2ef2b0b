package io.hostsync.autoconfigure;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionLostException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSetting;
import io.hostsync.RegionSpaceException;
import io.hostsync.autoconfigure.guard.InvalidGuardException;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed with a {@link HostsyncException}: the exception's message, which
 * names the region and file, as the description, and the {@code hostsync.*} properties to change
 * as the action, read from the exception's typed fields: for a region created by another
 * application with another setting ({@link RegionMismatchException#setting()}), the value that
 * application uses ({@link RegionMismatchException#existingValue()}). A value that is invalid in
 * itself (a size out of range, an unknown backend, a bad file mode) is reported earlier, while
 * the properties are bound or resolved, naming the property and the fix, which Spring Boot's own
 * analyzers explain.
 */
final class HostsyncFailureAnalyzer extends AbstractFailureAnalyzer<HostsyncException> {

    /** Stands for the region name when the failed region is not known. */
    private static final String UNKNOWN_REGION = "<name>";

    private static final String RECREATE = " To change it, stop every process that uses the region and delete its file,"
            + " so that it is created again with the new value.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HostsyncException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause, regionName(rootFailure, cause)), cause);
    }

    private static String action(HostsyncException cause, String region) {
        if (cause instanceof InvalidGuardException) {
            return "Change the @ReadGuarded or @WriteGuarded annotation of the method named above as the description"
                    + " says, or remove it and take the lock in code.";
        }
        if (cause instanceof RegionMismatchException mismatch) {
            return mismatchAction(mismatch, region);
        }
        if (cause instanceof RegionAccessException access) {
            return accessAction(access, region);
        }
        RegionSetting fullSetting = (cause instanceof RegionFullException full) ? full.setting() : null;
        if (fullSetting != null) { // null for a shared map's own capacity, which no property sets
            return fullAction((RegionFullException) cause, fullSetting, region);
        }
        if (cause instanceof RegionSpaceException) {
            return "Make " + property(region, RegionSetting.SIZE) + " smaller, free space in "
                    + directoryProperties(region)
                    + ", or point " + directoryProperties(region) + " at a file system with more room (in a container,"
                    + " give /dev/shm more memory).";
        }
        if (cause instanceof RegionFormatException) {
            return "The file is not a region this version of hostsync can open. Point " + directoryProperties(region)
                    + " at another directory or choose another region name, or delete the file if no other program"
                    + " uses it.";
        }
        if (cause instanceof RegionLostException) {
            return "Restart this application: this JVM had the region open when its file was removed, replaced or"
                    + " truncated, and cannot share it again until every handle of it is closed. Find what touched the"
                    + " file (see the description) and stop it; after a truncation, delete the damaged file first.";
        }
        if (cause instanceof BackendRefusedException) {
            return "Set " + property(region, RegionSetting.BACKEND) + " to " + Backend.ROBUST.configName()
                    + " (crash-safe, works across containers) or " + Backend.FILE.configName() + ", in every process"
                    + " that shares the region: a region keeps the backend it was created with, so stop every process"
                    + " that uses it and delete its file first.";
        }
        return "Check the settings of the region under " + ConfiguredRegion.propertyName(region, null) + " and "
                + directoryProperties(region) + ".";
    }

    /**
     * Names the setting that differs and the value the region has, which the application that
     * created it uses, so that the action can say what to set.
     */
    private static String mismatchAction(RegionMismatchException mismatch, String region) {
        if (mismatch.setting() == null) {
            return "Set " + property(region, RegionSetting.SIZE) + ", "
                    + property(region, RegionSetting.MAX_PARTICIPANTS)
                    + ", " + property(region, RegionSetting.MAX_LOCKS) + " and "
                    + property(region, RegionSetting.MAX_ENTRIES)
                    + " to the values the existing region was created with, as every process that shares a region"
                    + " must." + RECREATE;
        }
        return "Set " + property(region, mismatch.setting()) + " to "
                + value(mismatch.setting(), mismatch.existingValue())
                + ", the value the existing region was created with (by the application that created it): every process"
                + " that shares a region must use the same." + RECREATE;
    }

    private static String accessAction(RegionAccessException access, String region) {
        if (access.refused() == RegionAccessException.Refused.DIRECTORY) {
            return "Point " + directoryProperties(region) + " at a directory this process can create and write, such as"
                    + " /dev/shm (shared memory, the default) or a directory on a persistent file system that every"
                    + " process sharing the region mounts.";
        }
        return "Check the owner and permissions of the region file and of " + directoryProperties(region) + ". To share"
                + " a region between users of one group, set " + property(region, "file-mode") + " to \"0660\"; if the"
                + " file is meant to belong to another user or to have looser permissions, set "
                + property(region, "allow-foreign-owner") + " or " + property(region, "allow-looser-permissions")
                + " to true.";
    }

    /** Names the setting that fixed the room that ran out, with the region's value of it. */
    private static String fullAction(RegionFullException full, RegionSetting setting, String region) {
        String lead = switch (setting) {
            case MAX_PARTICIPANTS -> "Stop a process that uses the region, or give the region more slots: ";
            case MAX_LOCKS -> "Use fewer lock names, or give the region more lock records: ";
            case MAX_ENTRIES -> "Use fewer entry names, or give the region more directory entries: ";
            default -> "Make the entry smaller, or give the region more room: ";
        };
        return lead + property(region, setting) + " (" + value(setting, full.capacity())
                + " in the existing region) takes effect when the region is created, so stop every process that uses"
                + " it and delete its file first.";
    }

    /** A region setting's value as a property takes it: a backend by name, a size in bytes. */
    private static String value(RegionSetting setting, Object value) {
        if (value instanceof Backend backend) {
            return backend.configName();
        }
        return (setting == RegionSetting.SIZE) ? value + "B" : String.valueOf(value);
    }

    private static String directoryProperties(String region) {
        return property(region, "directory") + " (or " + HostsyncProperties.PREFIX + ".directory)";
    }

    /** The property of a region that configures a setting core names, such as {@code max-locks}. */
    private static String property(String region, RegionSetting setting) {
        return property(region, switch (setting) {
            case BACKEND -> "backend";
            case SIZE -> "size";
            case MAX_PARTICIPANTS -> "max-participants";
            case MAX_LOCKS -> "max-locks";
            case MAX_ENTRIES -> "max-entries";
        });
    }

    private static String property(String region, String setting) {
        return ConfiguredRegion.propertyName(region, setting);
    }

    /**
     * The region to name in the action: the one whose bean failed to be created, found by bean
     * name (a region opened by hostsync's auto-configuration has a bean name made from its region
     * name); else the region the exception names.
     */
    private static String regionName(Throwable failure, HostsyncException cause) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof BeanCreationException creation) {
                String region = HostsyncAutoConfiguration.regionNameOf(creation.getBeanName());
                if (region != null) {
                    return region;
                }
            }
        }
        return cause.regionName().orElse(UNKNOWN_REGION);
    }
}
