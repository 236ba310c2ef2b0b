package io.hostsync.containers.driver;

import java.util.concurrent.TimeUnit;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.stereotype.Component;

/**
 * A record of {@value #WORDS} shared longs that must always hold the same value, changed without
 * atomics: a write reads the first word and rewrites every word, one at a time, with a pause
 * between words. Only the region's default lock, taken through {@link WriteGuarded} and
 * {@link ReadGuarded}, keeps it whole; two writers at once, or a reader during a write, leave it
 * torn or lose an increment, which the checks below count and the tests see at the end.
 *
 * <p>Besides the record, two shared counters say who is inside (changed atomically, so that
 * they are right even when the lock is not) and one counts the writes, non-atomically.
 */
@Component
public class GuardedRecord {

    /** Longs in the record. */
    public static final int WORDS = 8;

    /** How long a writer pauses between two words: long enough for an overlap to show. */
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(2);

    private final SharedLongArray words;

    private final SharedCounter writes;

    private final SharedCounter writersInside;

    private final SharedCounter readersInside;

    /**
     * Finds or creates the record's entries in the region's shared state.
     *
     * @param state the shared state of the application's region
     */
    public GuardedRecord(SharedState state) {
        this.words = state.longArray("record", WORDS);
        this.writes = state.counter("record-writes");
        this.writersInside = state.counter("record-writers-inside");
        this.readersInside = state.counter("record-readers-inside");
    }

    /**
     * Adds one to every word of the record, word by word, and to the write count, non-atomically.
     *
     * @return whether the write found the record whole and nobody else inside
     */
    @WriteGuarded(timeout = "60s")
    public boolean increment() {
        boolean alone = this.writersInside.incrementAndGet() == 1 && this.readersInside.get() == 0;
        try {
            long value = this.words.get(0);
            boolean whole = isWhole(value);
            for (int word = 0; word < WORDS; word++) {
                this.words.set(word, value + 1);
                pause();
            }
            this.writes.set(this.writes.get() + 1);
            return alone && whole;
        } finally {
            this.writersInside.decrementAndGet();
        }
    }

    /**
     * Reads the record under the read lock.
     *
     * @return whether the record was whole and no writer was inside
     */
    @ReadGuarded(timeout = "60s")
    public boolean check() {
        this.readersInside.incrementAndGet();
        try {
            boolean whole = isWhole(this.words.get(0));
            pause();
            return whole && this.writersInside.get() == 0;
        } finally {
            this.readersInside.decrementAndGet();
        }
    }

    /**
     * Starts a write and stops half-way: only the first word gets the new value. The caller must
     * hold the write lock; a process killed now leaves the record torn.
     */
    public void writeHalf() {
        this.words.set(0, this.words.get(0) + 1);
    }

    /**
     * Makes the record whole again after a writer died in it: every word gets the largest value
     * found, which completes the interrupted write. The caller must hold the write lock.
     */
    public void repair() {
        long largest = Long.MIN_VALUE;
        for (long value : this.words.toArray()) {
            largest = Math.max(largest, value);
        }
        for (int word = 0; word < WORDS; word++) {
            this.words.set(word, largest);
        }
    }

    /**
     * Returns the words as they are now, read without the lock.
     *
     * @return a copy of the record
     */
    public long[] words() {
        return this.words.toArray();
    }

    /**
     * Returns the shared count of completed writes, by every process.
     *
     * @return the number of writes
     */
    public long writes() {
        return this.writes.get();
    }

    private boolean isWhole(long first) {
        for (int word = 1; word < WORDS; word++) {
            if (this.words.get(word) != first) {
                return false;
            }
        }
        return true;
    }

    private static void pause() {
        long until = System.nanoTime() + PAUSE_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
