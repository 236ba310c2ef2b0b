package io.hostsync;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A process that keeps a region busy, for {@link LiveRegionIntegrityTest}: writers and readers of
 * one lock (so that some hold it while others wait), a thread incrementing a counter, a thread
 * updating it with a compare-and-set loop, and a probe reading it every few milliseconds.
 * Arguments: directory, region name. Prints {@code READY slot=..}, then {@code RUNNING} once
 * every thread works.
 *
 * <p>A monitor thread prints {@code LOST at=<epoch ms> reason=..} when {@link SharedRegion#failure()}
 * reports the region lost. Every thread stops at its first exception and prints {@code EXCEPTION thread=.. at=<epoch ms>
 * type=<class> message=<message>}. When all have stopped it prints {@code STOPPED}; if some are
 * still running 10 s after the first stopped, it prints {@code STUCK threads=..} and halts, so a
 * livelocked or hung thread fails the test instead of the build.
 *
 * <p>Commands on standard input: {@code try} attempts the write lock once more and prints
 * {@code TRY outcome=..}; {@code cpu} prints the process's CPU time so far, {@code CPU nanos=..}; {@code exit} (or the end of the input) ends it with status 0.
 */
public final class LiveRegionWorker {

    private static final java.util.concurrent.CountDownLatch FIRST_FAILURE = new java.util.concurrent.CountDownLatch(1);

    private LiveRegionWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args directory, name
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        RegionOptions options = RegionOptions.builder(args[1]).directory(Path.of(args[0])).build();
        SharedRegion region = SharedRegion.open(options);
        SharedState state = region.state();
        SharedCounter hits = state.counter("hits");
        SharedCounter updates = state.counter("updates");
        SharedCounter probe = state.counter("probe");
        RWLock lock = region.lock("guarded");
        System.out.println("READY slot=" + region.slot());
        List<Thread> threads = new ArrayList<>();
        threads.add(worker("writer-1", () -> locked(lock.writeLock(), hits)));
        threads.add(worker("writer-2", () -> locked(lock.writeLock(), hits)));
        threads.add(worker("reader", () -> locked(lock.readLock(), hits)));
        threads.add(worker("incrementer", hits::incrementAndGet));
        threads.add(worker("updater", () -> updates.updateAndGet(value -> value + 2)));
        threads.add(worker("probe", () -> {
            probe.get();
            sleep(5);
        }));
        Thread monitor = new Thread(() -> {
            while (region.failure().isEmpty()) {
                sleep(5);
            }
            System.out.println("LOST at=" + System.currentTimeMillis() + " reason=" + region.failure().get());
        }, "monitor");
        monitor.setDaemon(true);
        monitor.start();
        threads.forEach(Thread::start);
        System.out.println("RUNNING");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Thread commands = new Thread(() -> commands(input, region, lock));
        commands.setDaemon(true);
        commands.start();
        FIRST_FAILURE.await(); // from here on, bounded
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> stuck = new ArrayList<>();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                stuck.add(thread.getName());
            }
        }
        if (!stuck.isEmpty()) {
            System.out.println("STUCK threads=" + String.join(",", stuck));
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        monitor.join(1000); // its LOST line comes first: it polls every 5 ms, and the threads may stop sooner
        System.out.println("STOPPED");
        commands.join();
    }

    private static void locked(Lock lock, SharedCounter counter) {
        lock.lock();
        try {
            counter.incrementAndGet();
            sleep(1); // hold it a while, so that others wait
        } finally {
            lock.unlock();
        }
    }

    private static Thread worker(String name, Runnable step) {
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    step.run();
                }
            } catch (Throwable e) {
                report(name, e);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Prints the exception that stopped a thread. HotSpot may deliver a second asynchronous fault
     * error while it does (one per fault taken before the loss was known): the first is reported.
     */
    private static void report(String name, Throwable e) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                System.out.println("EXCEPTION thread=" + name + " at=" + System.currentTimeMillis() + " type="
                        + e.getClass().getName() + " where=" + where(e) + " message="
                        + String.valueOf(e.getMessage()).replace('\n', ' '));
                FIRST_FAILURE.countDown();
                return;
            } catch (Throwable again) {
                // the second delivery: report the first once more
            }
        }
    }

    /** The first frames of where it was thrown, to tell hostsync's code from the application's. */
    private static String where(Throwable e) {
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < Math.min(4, e.getStackTrace().length); i++) {
            StackTraceElement frame = e.getStackTrace()[i];
            frames.append(i == 0 ? "" : "<").append(frame.getClassName().replaceAll(".*\\.", "")).append('.')
                    .append(frame.getMethodName());
        }
        return frames.toString();
    }

    private static void commands(BufferedReader input, SharedRegion region, RWLock lock) {
        try {
            String line;
            while ((line = input.readLine()) != null) {
                if (line.equals("exit")) {
                    break;
                }
                if (line.equals("cpu")) {
                    System.out.println("CPU nanos=" + ProcessHandle.current().info().totalCpuDuration()
                            .map(java.time.Duration::toNanos).orElse(-1L));
                }
                if (line.equals("try")) {
                    try {
                        boolean locked = lock.writeLock().tryLock(200, TimeUnit.MILLISECONDS);
                        System.out.println("TRY outcome=" + (locked ? "locked" : "timed-out"));
                    } catch (Throwable e) {
                        System.out.println("TRY outcome=refused type=" + e.getClass().getName() + " message="
                                + String.valueOf(e.getMessage()).replace('\n', ' '));
                    }
                }
            }
        } catch (Exception e) {
            System.out.println("COMMANDS ended: " + e);
        }
        Runtime.getRuntime().halt(0); // input closed: the test is done with us
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
