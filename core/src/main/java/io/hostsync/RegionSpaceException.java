package io.hostsync;

/**
 * There is not enough space to create a region, for example on a full /dev/shm.
 */
public class RegionSpaceException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionSpaceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionSpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
