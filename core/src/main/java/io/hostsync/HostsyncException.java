package io.hostsync;

/**
 * Base class of every exception hostsync throws on purpose. Each message names the region or
 * file concerned, what was expected, what was found, and what to do about it.
 */
public class HostsyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what happened and what to do.
     *
     * @param message the complete message
     */
    public HostsyncException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the complete message
     * @param cause the underlying failure
     */
    public HostsyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
