package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hostsync.annotation.OnTimeout;
import org.jspecify.annotations.Nullable;

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
 * @param lockSource the lock to take, obtained at each call, for a method without a key
 * @param lockDescription the lock in words, for messages, such as "the write lock of lock
 *     'default' in region 'orders'"
 * @param key the key expression, or {@code null} for a method without a key
 * @param keyedLocks the lock of each key, or {@code null} for a method without a key
 */
record Guard(Method method, Mode mode, String region, String lock, Duration timeout, OnTimeout onTimeout,
        boolean onMethod, @Nullable Supplier<Lock> lockSource, String lockDescription, @Nullable GuardKey key,
        @Nullable Function<Object, Lock> keyedLocks) {

    /**
     * Returns the lock one call takes: the guard's lock, or the lock of the key the call's
     * arguments give.
     *
     * @param target the bean called
     * @param arguments the call's arguments
     * @return the lock
     * @throws IllegalArgumentException if the key cannot be evaluated or is {@code null}
     */
    Lock lockFor(@Nullable Object target, @Nullable Object[] arguments) {
        if (this.key != null && this.keyedLocks != null) {
            return this.keyedLocks.apply(this.key.evaluate(target, arguments));
        }
        return Objects.requireNonNull(this.lockSource, "a guard without a key has a lock source").get();
    }

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
