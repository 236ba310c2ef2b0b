package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.hostsync.annotation.OnTimeout;

/**
 * How one method is guarded, resolved and checked once from its annotation.
 *
 * @param method the annotated method, for messages
 * @param mode whether the method reads or writes
 * @param region the region name, resolved from "" to the default region
 * @param lock the lock name, resolved from "" to the default lock
 * @param timeout the longest wait for the lock
 * @param onTimeout what to do when the wait times out
 * @param onMethod whether the annotation is on the method (rather than its class)
 * @param lockSource the lock to take, obtained at each call
 * @param lockDescription the lock in words, for messages, such as "the write lock of lock
 *     'default' in region 'orders'"
 */
record Guard(Method method, Mode mode, String region, String lock, Duration timeout, OnTimeout onTimeout,
        boolean onMethod, Supplier<Lock> lockSource, String lockDescription) {

    /** Whether a guarded method takes the read or the write lock. */
    enum Mode {

        /** {@code @ReadGuarded}. */
        READ,

        /** {@code @WriteGuarded}. */
        WRITE;

        /** @return "read" or "write", for messages */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the annotation's name, for messages */
        String annotation() {
            return (this == READ) ? "@ReadGuarded" : "@WriteGuarded";
        }
    }
}
