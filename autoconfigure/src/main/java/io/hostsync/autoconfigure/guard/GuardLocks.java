package io.hostsync.autoconfigure.guard;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where guarded methods get their locks: hostsync's own, or a Spring Integration
 * {@code LockRegistry}'s.
 */
interface GuardLocks {

    /**
     * Returns the lock a guarded method takes, checking once, at startup, that it can be had.
     *
     * @param region the region name, known to exist
     * @param lock the lock name
     * @param mode whether the method reads or writes
     * @param method the method, for messages
     * @return the lock, obtained at each call
     * @throws InvalidGuardException if the lock cannot be had, naming the method
     */
    Supplier<Lock> lock(String region, String lock, Guard.Mode mode, String method);

    /**
     * Returns the locks of the keys of a family, for methods with a key expression, checking once,
     * at startup, that they can be had.
     *
     * @param region the region name, known to exist
     * @param family the family of keyed locks
     * @param mode whether the method reads or writes
     * @param method the method, for messages
     * @return the lock of each key, obtained at each call
     * @throws InvalidGuardException if the locks cannot be had, naming the method
     */
    Function<Object, Lock> keyedLocks(String region, String family, Guard.Mode mode, String method);

    /**
     * Describes a lock for messages.
     *
     * @param region the region name
     * @param lock the lock name
     * @param mode whether the method reads or writes
     * @return the lock in words, such as "the write lock of lock 'default' in region 'orders'"
     */
    String describe(String region, String lock, Guard.Mode mode);

    /**
     * Checks at startup that the locks can be had at all, whether or not any method is guarded.
     */
    default void verify() {
    }
}
