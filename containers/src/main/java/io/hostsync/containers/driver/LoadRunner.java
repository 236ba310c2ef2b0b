package io.hostsync.containers.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;

import org.springframework.stereotype.Component;

/**
 * Runs guarded writes and reads of the {@link GuardedRecord} on several threads, in the
 * background, at the same time as the other containers: each run first waits, through a shared
 * counter, until the expected number of containers have arrived, so that the loads overlap.
 */
@Component
public class LoadRunner {

    /** How long a run waits for the other containers to arrive before it gives up. */
    static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long a reader pauses between two reads. Readers that re-acquire in a tight loop, on a
     * machine with fewer cores than threads, leave writers a small share of the lock: the test is
     * of exclusion, not of throughput.
     */
    static final long READ_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final GuardedRecord record;

    private final SharedCounter arrivals;

    private volatile LoadReport report = new LoadReport("idle", 0, 0, 0, null);

    private Thread runner;

    /**
     * Creates the runner.
     *
     * @param record the record to write and read
     * @param state the shared state in which the containers count their arrivals
     */
    public LoadRunner(GuardedRecord record, SharedState state) {
        this.record = record;
        this.arrivals = state.counter("load-arrivals");
    }

    /**
     * Starts a run in the background; {@link #report()} says how it goes.
     *
     * @param writes guarded writes to make in all, spread over the writer threads
     * @param writerThreads threads that write
     * @param readerThreads threads that read until the writers are done
     * @param parties containers that take part, this one included
     * @throws IllegalStateException if a run is going on
     */
    public synchronized void start(long writes, int writerThreads, int readerThreads, int parties) {
        if (this.runner != null && this.runner.isAlive()) {
            throw new IllegalStateException("A load is running already: wait until GET /driver/load says done");
        }
        this.report = new LoadReport("running", 0, 0, 0, null);
        this.runner = new Thread(() -> this.report = run(writes, writerThreads, readerThreads, parties), "load");
        this.runner.start();
    }

    /**
     * Returns how the current or last run went.
     *
     * @return the report
     */
    public LoadReport report() {
        return this.report;
    }

    private LoadReport run(long writes, int writerThreads, int readerThreads, int parties) {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
        this.arrivals.incrementAndGet();
        while (this.arrivals.get() < parties) {
            if (System.nanoTime() > deadline) {
                return new LoadReport("failed", 0, 0, 0, "Only " + this.arrivals.get() + " of " + parties
                        + " containers arrived within " + ARRIVAL_TIMEOUT.toSeconds() + " s: do they share /dev/shm?");
            }
            sleepOneMillisecond();
        }
        AtomicLong written = new AtomicLong();
        AtomicLong read = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        AtomicBoolean writersDone = new AtomicBoolean();
        List<String> errors = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int thread = 0; thread < writerThreads; thread++) {
            long share = writes / writerThreads + ((thread < writes % writerThreads) ? 1 : 0);
            writers.add(start("writer-" + thread, errors, () -> {
                for (long i = 0; i < share; i++) {
                    if (!this.record.increment()) {
                        violations.incrementAndGet();
                    }
                    written.incrementAndGet();
                }
            }));
        }
        for (int thread = 0; thread < readerThreads; thread++) {
            readers.add(start("reader-" + thread, errors, () -> {
                while (!writersDone.get()) {
                    if (!this.record.check()) {
                        violations.incrementAndGet();
                    }
                    read.incrementAndGet();
                    LockSupport.parkNanos(READ_PAUSE_NANOS);
                }
            }));
        }
        joinAll(writers);
        writersDone.set(true);
        joinAll(readers);
        synchronized (errors) {
            String error = errors.isEmpty() ? null : String.join("; ", errors);
            return new LoadReport("done", written.get(), read.get(), violations.get(), error);
        }
    }

    private static Thread start(String name, List<String> errors, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException ex) {
                synchronized (errors) {
                    errors.add(name + ": " + ex);
                }
            }
        }, "load-" + name);
        thread.start();
        return thread;
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepOneMillisecond() {
        try {
            TimeUnit.MILLISECONDS.sleep(1);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How a run went.
     *
     * @param state {@code idle}, {@code running}, {@code done} or {@code failed}
     * @param writes guarded writes this container made
     * @param reads guarded reads this container made
     * @param violations writes or reads that found the record torn or someone inside who should not be
     * @param error what went wrong (a lock timeout, the other containers not arriving), or {@code null}
     */
    public record LoadReport(String state, long writes, long reads, long violations, String error) {
    }
}
