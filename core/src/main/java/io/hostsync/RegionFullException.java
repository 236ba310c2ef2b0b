package io.hostsync;

/**
 * Every process slot of a region is held by a live process, so no further process can join it.
 */
public class RegionFullException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionFullException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
