package io.hostsync;

/**
 * A process asked for an entry by a name that exists in the region with another type or size.
 */
public class EntryMismatchException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message both descriptions and what to do
     */
    public EntryMismatchException(String message) {
        super(message);
    }
}
