package io.hostsync;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Base class of every exception hostsync throws on purpose. Each message names the region or
 * file concerned, what was expected, what was found, and what to do about it; the region and the
 * file are also available as {@link #regionName()} and {@link #file()}, where the exception
 * concerns one, so that a program (such as Spring Boot's failure analysis) need not read them
 * from the message.
 */
public class HostsyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String regionName;

    /** Not serialized: {@link Path} is not serializable, and a path may mean nothing on another host. */
    private final transient @Nullable Path file;

    /**
     * Creates an exception with a message that says what happened and what to do.
     *
     * @param message the complete message
     */
    public HostsyncException(String message) {
        this(message, null, null, null);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the complete message
     * @param cause the underlying failure
     */
    public HostsyncException(String message, @Nullable Throwable cause) {
        this(message, null, null, cause);
    }

    /**
     * Creates an exception about a region or a file.
     *
     * @param message the complete message
     * @param regionName the region concerned, or {@code null} if not known where the exception is thrown
     * @param file the file (or directory) concerned, or {@code null} if none
     * @param cause the underlying failure, or {@code null}
     */
    protected HostsyncException(String message, @Nullable String regionName, @Nullable Path file,
            @Nullable Throwable cause) {
        super(message, cause);
        this.regionName = regionName;
        this.file = file;
    }

    /**
     * Returns the name of the region concerned.
     *
     * @return the region name, or empty if the exception concerns no region, or one not known
     *     where it was thrown (a file inspected by path)
     */
    public Optional<String> regionName() {
        return Optional.ofNullable(regionName);
    }

    /**
     * Returns the file the exception concerns, usually the region file; subclasses say when it
     * is something else (the region directory of a {@link RegionAccessException}).
     *
     * @return the file, or empty if the exception concerns none (or was deserialized)
     */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
