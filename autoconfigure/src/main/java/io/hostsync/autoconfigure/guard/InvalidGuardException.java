package io.hostsync.autoconfigure.guard;

import io.hostsync.HostsyncException;

/**
 * A method annotated with {@code @ReadGuarded} or {@code @WriteGuarded} cannot be guarded as
 * annotated: the message names the method, what is wrong, and what to do about it. Thrown when
 * the bean is created, so that startup fails instead of a call running unguarded.
 */
public class InvalidGuardException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the method, what is wrong, and what to do
     */
    public InvalidGuardException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the method, what is wrong, and what to do
     * @param cause the underlying failure
     */
    public InvalidGuardException(String message, Throwable cause) {
        super(message, cause);
    }
}
