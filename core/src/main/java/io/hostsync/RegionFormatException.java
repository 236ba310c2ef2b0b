package io.hostsync;

/**
 * A file is not a usable hostsync region: foreign, truncated, half-initialised, or written by a newer layout version.
 */
public class RegionFormatException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
