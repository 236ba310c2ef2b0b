package io.hostsync;

/**
 * An existing region was created with parameters (such as its size) that differ from the ones this process asked for.
 */
public class RegionMismatchException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
