package io.hostsync.autoconfigure;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSpaceException;
import io.hostsync.autoconfigure.guard.InvalidGuardException;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed with a {@link HostsyncException}: the exception's message, which
 * names the region and file, as the description, and the {@code hostsync.*} properties to change
 * as the action: for a region created by another application with another size (or number of
 * participants, locks or entries), the value that application uses. A value that is invalid in
 * itself (a size out of range, an unknown backend, a bad file mode) is reported earlier as an
 * {@code InvalidConfigurationPropertyValueException} naming the property and the fix, which
 * Spring Boot's own analyzer explains.
 */
final class HostsyncFailureAnalyzer extends AbstractFailureAnalyzer<HostsyncException> {

    /** Stands for the region name when the failed region was not opened from properties. */
    private static final String UNKNOWN_REGION = "<name>";

    /**
     * How core words each mismatch, with the value the existing region has, and the setting
     * that must match it. Kept in step with core by HostsyncFailureAnalyzerTests.
     */
    private static final List<Mismatch> MISMATCHES = List.of(
            new Mismatch(Pattern.compile("exists with size (\\d+) bytes"), "size", "B"),
            new Mismatch(Pattern.compile("exists with (\\d+) participant slots"), "max-participants", ""),
            new Mismatch(Pattern.compile("exists with room for (\\d+) entries"), "max-entries", ""),
            new Mismatch(Pattern.compile("exists with room for (\\d+) locks"), "max-locks", ""));

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HostsyncException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause, regionName(rootFailure)), cause);
    }

    private static String action(HostsyncException cause, String region) {
        String directory = directoryProperties(region);
        if (cause instanceof InvalidGuardException) {
            return "Change the @ReadGuarded or @WriteGuarded annotation of the method named above as the description"
                    + " says, or remove it and take the lock in code.";
        }
        if (cause instanceof RegionMismatchException) {
            return mismatchAction(cause.getMessage(), region);
        }
        if (cause instanceof RegionAccessException && cause.getMessage().startsWith("Region directory")) {
            return "Point " + directory + " at a directory this process can create and write, such as /dev/shm"
                    + " (shared memory, the default) or a directory on a persistent file system that every process"
                    + " sharing the region mounts.";
        }
        if (cause instanceof RegionAccessException) {
            return "Check the owner and permissions of the region file and of " + directory + ". To share a region"
                    + " between users of one group, set " + property(region, "file-mode") + " to \"0660\"; if the"
                    + " file is meant to belong to another user or to have looser permissions, set "
                    + property(region, "allow-foreign-owner") + " or " + property(region, "allow-looser-permissions")
                    + " to true.";
        }
        if (cause instanceof RegionFullException) {
            return "Stop a process that uses the region, or give the region more slots: "
                    + property(region, "max-participants") + " takes effect when the region is created, so stop every"
                    + " process that uses it and delete its file first.";
        }
        if (cause instanceof RegionSpaceException) {
            return "Make " + property(region, "size") + " smaller, free space in " + directory + ", or point "
                    + directory + " at a file system with more room (in a container, give /dev/shm more memory).";
        }
        if (cause instanceof RegionFormatException) {
            return "The file is not a region this version of hostsync can open. Point " + directory
                    + " at another directory or choose another region name, or delete the file if no other program"
                    + " uses it.";
        }
        return "Check the settings of the region under " + property(region, null) + " and " + directory + ".";
    }

    /**
     * Names the setting that differs and the value the region has, which the application that
     * created it uses, so that the action can say what to set.
     */
    private static String mismatchAction(String message, String region) {
        String change = " To change it, stop every process that uses the region and delete its file, so that it is"
                + " created again with the new value.";
        for (Mismatch mismatch : MISMATCHES) {
            Matcher matcher = mismatch.pattern().matcher(message);
            if (matcher.find()) {
                return "Set " + property(region, mismatch.setting()) + " to " + matcher.group(1) + mismatch.unit()
                        + ", the value the existing region was created with (by the application that created it):"
                        + " every process that shares a region must use the same." + change;
            }
        }
        return "Set " + property(region, "size") + ", " + property(region, "max-participants") + ", "
                + property(region, "max-locks") + " and " + property(region, "max-entries")
                + " to the values the existing region was created with, as every process that shares a region"
                + " must." + change;
    }

    private static String directoryProperties(String region) {
        return property(region, "directory") + " (or " + HostsyncProperties.PREFIX + ".directory)";
    }

    private static String property(String region, String setting) {
        return ConfiguredRegion.propertyName(region, setting);
    }

    /**
     * The region whose bean failed to be created, found by bean name, since a region opened by
     * hostsync's auto-configuration has a bean name made from its region name.
     */
    private static String regionName(Throwable failure) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof BeanCreationException creation) {
                String region = HostsyncAutoConfiguration.regionNameOf(creation.getBeanName());
                if (region != null) {
                    return region;
                }
            }
        }
        return UNKNOWN_REGION;
    }

    private record Mismatch(Pattern pattern, String setting, String unit) {
    }
}
