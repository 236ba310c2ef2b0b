package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A region file or its directory may not be used as asked: a symbolic link, the wrong owner, permissions looser than configured, or a directory that cannot be written.
 * {@link #refused()} says which of the two was refused, and {@link #file()} is its path.
 */
public class RegionAccessException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /** What was refused: the region file, or the directory it lives in. */
    public enum Refused {

        /** The region file (or whatever stands at its path). */
        FILE,

        /** The directory of the region file. */
        DIRECTORY
    }

    private final Refused refused;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionAccessException(String message) {
        this(message, null, null, Refused.FILE, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionAccessException(String message, Throwable cause) {
        this(message, null, null, Refused.FILE, cause);
    }

    /**
     * Creates the exception about a region file or directory.
     *
     * @param message what happened, to which path, and what to do
     * @param regionName the region, or {@code null} if not known (a file opened by path)
     * @param path the region file or its directory, as {@code refused} says
     * @param refused which of the two was refused
     * @param cause the underlying failure, or {@code null}
     */
    public RegionAccessException(String message, @Nullable String regionName, @Nullable Path path, Refused refused,
            @Nullable Throwable cause) {
        super(message, regionName, path, cause);
        this.refused = refused;
    }

    /**
     * Returns what was refused; {@link #file()} is its path.
     *
     * @return the region file or its directory
     */
    public Refused refused() {
        return refused;
    }
}
