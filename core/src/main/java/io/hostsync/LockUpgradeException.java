package io.hostsync;

/**
 * A thread that holds a read lock asked for the write lock of the same lock. Upgrading would deadlock as soon as two threads or processes tried it at once, so it is refused at once: release the read lock first, or take the write lock from the start (a write lock may be downgraded to a read lock).
 */
public class LockUpgradeException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     */
    public LockUpgradeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, to which file, and what to do
     * @param cause the underlying failure
     */
    public LockUpgradeException(String message, Throwable cause) {
        super(message, cause);
    }
}
