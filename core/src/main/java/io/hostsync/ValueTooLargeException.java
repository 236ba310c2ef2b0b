package io.hostsync;

/**
 * An encoded value does not fit the capacity reserved for it when its entry was created.
 * Nothing was written: the previous value is still the committed one.
 */
public class ValueTooLargeException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the sizes and what to do
     */
    public ValueTooLargeException(String message) {
        super(message);
    }
}
