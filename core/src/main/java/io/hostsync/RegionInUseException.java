package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An operation that needs a region to be unused (such as deleting it) was refused because another participant is alive.
 */
public class RegionInUseException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionInUseException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionInUseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception about a region's file.
     *
     * @param message what happened, to which file, and what to do
     * @param regionName the region, or {@code null} if not known (a file opened by path)
     * @param file the region file
     * @param cause the underlying failure, or {@code null}
     */
    public RegionInUseException(String message, @Nullable String regionName, @Nullable Path file,
            @Nullable Throwable cause) {
        super(message, regionName, file, cause);
    }
}
