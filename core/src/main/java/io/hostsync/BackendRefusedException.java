package io.hostsync;

/**
 * A lock backend was refused for this region or platform: the {@code posix} backend across PID
 * namespaces or on a platform whose {@code pthread_rwlock_t} hostsync has not verified. The message
 * names the reason and the backend to use instead.
 */
public class BackendRefusedException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public BackendRefusedException(String message) {
        super(message);
    }
}
