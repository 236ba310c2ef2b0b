package io.hostsync.autoconfigure;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSpaceException;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed with a {@link HostsyncException}: the exception's message, which
 * names the region and file, as the description, and the {@code hostsync.*} properties to change
 * as the action.
 */
final class HostsyncFailureAnalyzer extends AbstractFailureAnalyzer<HostsyncException> {

    /** Stands for the region name when the failed region was not opened from properties. */
    private static final String UNKNOWN_REGION = "<name>";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HostsyncException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause, regionName(rootFailure)), cause);
    }

    private static String action(HostsyncException cause, String region) {
        String directory = directoryProperties(region);
        if (cause instanceof RegionMismatchException) {
            return "Set " + property(region, "size") + " and " + property(region, "max-participants")
                    + " to the values the existing region was created with, as every process that shares a region"
                    + " must. To change them, stop every process that uses the region and delete its file.";
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
}
