package io.hostsync;

/**
 * A region file or its directory may not be used as asked: a symbolic link, the wrong owner, permissions looser than configured, or a directory that cannot be written.
 */
public class RegionAccessException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public RegionAccessException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public RegionAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
