package io.hostsync.autoconfigure.cohort;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

/**
 * One process of a simulated host, for the cohort tests: opens the host's region (its own
 * directory), the cohort lock {@code data} over a real engine, and works on the engine's shared
 * number. Arguments: engine ({@code redis}|{@code postgres}), endpoint, region directory, region
 * name, interval log file, lease millis, local handoffs, mode, then the mode's arguments.
 *
 * <ul>
 * <li>{@code mixed millis writePercent}: for that long, takes the read or the write lock (5 s
 * timeout), and at least two of each; a writer reads the number and sets it to one more. Every hold is logged to the file
 * as {@code S <mode> <start>} when it begins and {@code E <mode> <start> <end>} when it ends
 * (nanoTime: {@code CLOCK_MONOTONIC}, comparable across processes), for the test to check that
 * no two holds overlapped that must not. Prints {@code DONE writes=.. reads=.. timeouts=..
 * unavailable=.. remote=.. handoffs=..}.</li>
 * <li>{@code keyed millis writePercent}: for that long, takes the read or write lock of a key of
 * the keyed cohort locks {@code items}: half the time one of 8 hot keys, else a key never used
 * before (at least 100 of those), holding it a millisecond. Logs {@code K <key> <mode> <start> <end>} per hold, and prints
 * {@code DONE holds=.. timeouts=.. unavailable=.. maxRecords=..}, the most keyed records its host
 * had after one of its holds.</li>
 * <li>{@code keyedhold}: takes the write lock of key {@code crash} of the keyed cohort locks
 * {@code items}, prints {@code HOLDING} and stays until killed.</li>
 * <li>{@code hold}: takes the write lock, logs its start, prints {@code HOLDING} and stays until
 * killed.</li>
 * </ul>
 *
 * <p>Prints {@code READY} and waits for {@code go} first, so that all processes start together.
 */
public final class CohortWorker {

    private CohortWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args see the class description
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        TestEngine engine = TestEngine.open(args[0], args[1]);
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[3]).directory(Path.of(args[2])).build());
        Path log = Path.of(args[4]);
        CohortSettings settings = new CohortSettings(Duration.ofMillis(Long.parseLong(args[5])),
                Integer.parseInt(args[6]), Duration.ofSeconds(5), Duration.ofMillis(5));
        CohortLocks locks = new CohortLocks(region, engine.leases(), settings);
        String mode = args[7];
        CohortLock lock = locks.lock("data");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        if (!"go".equals(input.readLine())) {
            return;
        }
        try (PrintWriter intervals = new PrintWriter(Files.newBufferedWriter(log, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true)) {
            if (mode.equals("keyed")) {
                keyed(locks, intervals, Long.parseLong(args[8]), Integer.parseInt(args[9]));
                return;
            }
            if (mode.equals("keyedhold")) {
                CohortLock keyed = locks.lock("items", "crash");
                keyed.writeLock().lock();
                System.out.println("HOLDING");
                Thread.sleep(Long.MAX_VALUE);
            }
            if (mode.equals("hold")) {
                lock.writeLock().lock();
                intervals.println("S w " + System.nanoTime());
                System.out.println("HOLDING");
                Thread.sleep(Long.MAX_VALUE);
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[8]));
            int writePercent = Integer.parseInt(args[9]);
            long writes = 0;
            long reads = 0;
            long timeouts = 0;
            long unavailable = 0;
            long hardEnd = end + TimeUnit.SECONDS.toNanos(30);
            // at least two of each on a loaded machine too, so that every run checks both kinds of hold
            while ((System.nanoTime() < end || writes < 2 || reads < 2) && System.nanoTime() < hardEnd) {
                boolean write = (System.nanoTime() < end) ? ThreadLocalRandom.current().nextInt(100) < writePercent
                        : writes < 2; // topping up whichever kind is missing
                Lock side = write ? lock.writeLock() : lock.readLock();
                try {
                    if (!side.tryLock(5, TimeUnit.SECONDS)) {
                        timeouts++;
                        continue;
                    }
                } catch (RemoteLockUnavailableException ex) {
                    unavailable++;
                    Thread.sleep(50);
                    continue;
                }
                String kind = write ? "w" : "r";
                long start = System.nanoTime();
                intervals.println("S " + kind + " " + start);
                try {
                    long value = retry(engine::value);
                    if (write) {
                        retry(() -> {
                            engine.setValue(value + 1);
                            return 0;
                        });
                        writes++;
                    } else {
                        reads++;
                    }
                } finally {
                    intervals.println("E " + kind + " " + start + " " + System.nanoTime());
                    side.unlock();
                }
            }
            CohortStatistics statistics = lock.statistics();
            System.out.println("DONE writes=" + writes + " reads=" + reads + " timeouts=" + timeouts + " unavailable="
                    + unavailable + " remote=" + statistics.remoteAcquisitions() + " handoffs="
                    + statistics.localHandoffs() + " lost=" + statistics.leasesLost());
        } finally {
            locks.close();
            engine.close();
            region.close();
        }
    }

    private static void keyed(CohortLocks locks, PrintWriter intervals, long millis, int writePercent)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long holds = 0;
        long timeouts = 0;
        long unavailable = 0;
        int maxRecords = 0;
        String self = Long.toHexString(ProcessHandle.current().pid());
        long fresh = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hardEnd = end + TimeUnit.SECONDS.toNanos(30);
        // at least 100 keys never used before, also with a slow engine or a loaded machine
        while ((System.nanoTime() < end || fresh < 100) && System.nanoTime() < hardEnd) {
            String key = random.nextBoolean() ? "hot-" + random.nextInt(8) : "cold-" + self + "-" + fresh++;
            boolean write = random.nextInt(100) < writePercent;
            CohortLock lock = locks.lock("items", key);
            Lock side = write ? lock.writeLock() : lock.readLock();
            try {
                if (!side.tryLock(5, TimeUnit.SECONDS)) {
                    timeouts++;
                    continue;
                }
            } catch (RemoteLockUnavailableException ex) {
                unavailable++;
                Thread.sleep(50);
                continue;
            }
            long start = System.nanoTime();
            try {
                Thread.sleep(1);
                holds++;
            } finally {
                intervals.println("K " + key + " " + (write ? "w" : "r") + " " + start + " " + System.nanoTime());
                side.unlock();
            }
            maxRecords = Math.max(maxRecords, locks.keyedRecords());
        }
        System.out.println("DONE holds=" + holds + " timeouts=" + timeouts + " unavailable=" + unavailable
                + " maxRecords=" + maxRecords);
    }

    /** Data operations ride out an engine restart: the lease outlives it. */
    private static long retry(LongSupplier operation) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return operation.getAsLong();
            } catch (RuntimeException ex) {
                if (System.nanoTime() > deadline) {
                    throw ex;
                }
                Thread.sleep(50);
            }
        }
    }
}
