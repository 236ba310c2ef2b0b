package io.hostsync.containers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a value satisfies a condition, for things that happen in other containers in their
 * own time (a load finishing). Bounded: it fails with the last value seen.
 */
final class Poll {

    private Poll() {
    }

    /**
     * Polls every 200 ms until the condition holds.
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T current = value.get();
            if (condition.test(current)) {
                return current;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout + "; last seen: " + current);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + what, ex);
            }
        }
    }
}
