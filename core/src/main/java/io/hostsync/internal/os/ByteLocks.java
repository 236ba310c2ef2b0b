package io.hostsync.internal.os;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** One-byte locks owned by this process; callers never lock a byte they already hold, except to downgrade. */
public interface ByteLocks extends AutoCloseable {

    /** The first pause of a polling wait for a byte; pauses double up to {@link #MAX_PAUSE_NANOS}. */
    long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /** The longest pause of a polling wait for a byte. */
    long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Takes the byte without waiting.
     *
     * @param offset the byte
     * @param shared whether shared (read) or exclusive (write)
     * @return whether it was taken; false if another process holds a conflicting lock
     */
    boolean tryLock(long offset, boolean shared);

    /**
     * Releases this process's lock on the byte.
     *
     * @param offset the byte
     */
    void unlock(long offset);

    /**
     * Turns this process's exclusive lock on the byte into a shared one.
     *
     * @param offset the byte
     */
    void downgrade(long offset);

    /**
     * Takes the byte shared, waiting out any momentary exclusive probe by {@link #heldByOthers(long)}.
     *
     * @param offset the byte
     */
    default void lockShared(long offset) {
        long pause = FIRST_PAUSE_NANOS;
        while (!tryLock(offset, true)) {
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * Whether another process holds a lock on the byte; this process must hold none on it.
     *
     * @param offset the byte
     * @return whether another process holds it
     */
    boolean heldByOthers(long offset);

    @Override
    void close();
}
