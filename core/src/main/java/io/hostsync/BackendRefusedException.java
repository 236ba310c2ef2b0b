package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A lock backend was refused for this region or platform: the {@code posix} backend across PID
 * namespaces or on a platform whose {@code pthread_rwlock_t} hostsync has not verified. The message
 * names the reason and the backend to use instead; {@link #backend()} is the refused backend.
 */
public class BackendRefusedException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Backend backend;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public BackendRefusedException(String message) {
        this(message, null, null, null);
    }

    /**
     * Creates the exception about a region's backend.
     *
     * @param message what happened and what to do
     * @param regionName the region
     * @param file the region file
     * @param backend the refused backend
     */
    public BackendRefusedException(String message, @Nullable String regionName, @Nullable Path file,
            @Nullable Backend backend) {
        super(message, regionName, file, null);
        this.backend = backend;
    }

    /**
     * Returns the backend that was refused.
     *
     * @return the backend, or {@code null} if the exception was created with a message only
     */
    public @Nullable Backend backend() {
        return backend;
    }
}
