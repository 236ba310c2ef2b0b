package io.hostsync;

/**
 * A lock could not be acquired within the time allowed.
 */
public class LockTimeoutException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public LockTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public LockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
