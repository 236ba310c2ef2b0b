package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * There is not enough space to create a region, for example on a full /dev/shm.
 */
public class RegionSpaceException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    private final long requiredBytes;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionSpaceException(String message) {
        this(message, null, null, -1, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionSpaceException(String message, Throwable cause) {
        this(message, null, null, -1, cause);
    }

    /**
     * Creates the exception about a region that could not be given its space.
     *
     * @param message what happened, to which file, and what to do
     * @param regionName the region
     * @param file the region file
     * @param requiredBytes the space the region needs
     * @param cause the underlying failure, or {@code null}
     */
    public RegionSpaceException(String message, @Nullable String regionName, @Nullable Path file, long requiredBytes,
            @Nullable Throwable cause) {
        super(message, regionName, file, cause);
        this.requiredBytes = requiredBytes;
    }

    /**
     * Returns the space the region needs.
     *
     * @return the region size in bytes, or -1 if not known
     */
    public long requiredBytes() {
        return requiredBytes;
    }
}
