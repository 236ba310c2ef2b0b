package io.hostsync;

/**
 * A {@code posix} lock cannot be acquired because a process died holding it (or waiting for it):
 * a {@code pthread_rwlock_t} has no owner the kernel could release. The message names the dead
 * process and the fix: reset the lock with {@link SharedRegion#resetLock(String)} once its data is
 * checked, or use the crash-safe {@code robust} backend.
 */
public class LockHolderDiedException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public LockHolderDiedException(String message) {
        super(message);
    }
}
