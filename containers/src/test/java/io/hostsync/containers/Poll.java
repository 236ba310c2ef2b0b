package io.hostsync.containers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Polls, with Awaitility, until something that happens in other containers in their own time has
 * happened (a load finishing, a container exiting). Bounded: it fails with the last value seen.
 */
final class Poll {

    /** How often a value is read again: often enough to be quick, rarely enough for 2 cores. */
    static final Duration INTERVAL = Duration.ofMillis(200);

    private Poll() {
    }

    /**
     * Starts an Awaitility wait that checks at once, then every {@code interval}, in the calling
     * thread (so that a blocked check is the caller's own, as without Awaitility).
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to poll
     * @param interval how long to wait between checks
     * @return the wait, to finish with {@code until(...)}
     */
    static ConditionFactory await(String what, Duration timeout, Duration interval) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(interval)
                .pollInSameThread();
    }

    /**
     * Polls every {@link #INTERVAL} until the condition holds.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to poll
     * @param value reads the value
     * @param condition the condition
     * @param <T> the type of the value
     * @return the first value that satisfies the condition
     * @throws AssertionError with the last value if the time runs out
     */
    static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<T> condition) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return await(what, timeout, INTERVAL).until(() -> {
                T current = value.get();
                last.set(current);
                return current;
            }, condition);
        } catch (ConditionTimeoutException ex) {
            throw new AssertionError(what + " did not happen within " + timeout + "; last seen: " + last.get(), ex);
        }
    }
}
