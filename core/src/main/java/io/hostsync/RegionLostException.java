package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The region's file was removed, replaced or truncated while this process had it open, so this
 * process no longer shares it with the others: every later lock or state operation on the region
 * throws this, and {@link SharedRegion#failure()} says why. The region cannot be repaired in
 * place; the message says what to do.
 */
public class RegionLostException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened to which file, and what to do
     */
    public RegionLostException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause, such as the fault of a memory access to a truncated file.
     *
     * @param message what happened to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionLostException(String message, Throwable cause) {
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
    public RegionLostException(String message, @Nullable String regionName, @Nullable Path file,
            @Nullable Throwable cause) {
        super(message, regionName, file, cause);
    }
}
