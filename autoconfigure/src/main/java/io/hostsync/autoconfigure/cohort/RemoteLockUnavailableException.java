package io.hostsync.autoconfigure.cohort;

import io.hostsync.LockTimeoutException;

/**
 * A cohort lock could not be acquired because its lock engine (the database, Redis) could not be
 * reached within the time allowed. Nothing is held when it is thrown.
 */
public class RemoteLockUnavailableException extends LockTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which lock and engine, and what to do
     * @param cause the engine's last failure
     */
    public RemoteLockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
