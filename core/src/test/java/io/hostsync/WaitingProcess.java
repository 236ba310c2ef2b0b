package io.hostsync;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * A participant that waits, for the tests of how robust waiters sleep and wake. Arguments:
 * directory, region name. Prints {@code READY}, then obeys lines on standard input:
 * <ul>
 *   <li>{@code hold-write}: takes the write lock and keeps it (prints {@code HELD}) until
 *       {@code release-write} (prints {@code RELEASED});</li>
 *   <li>{@code block READERS WRITERS [HOLD_MICROS]}: starts that many platform threads that each
 *       take the read (or write) lock once, stay inside {@code HOLD_MICROS} (default 0) and let it go; prints {@code BLOCKED} once all of them wait, and
 *       {@code ACQUIRED} once all of them got in; the threads stay until {@code finish} (prints
 *       {@code FINISHED}), so that their counters can be read;</li>
 *   <li>{@code exit}.</li>
 * </ul>
 */
public final class WaitingProcess {

    private WaitingProcess() {
    }

    /**
     * Runs the process.
     *
     * @param args directory, region name
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0])).build());
        RWLock lock = region.lock();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY slot=" + region.slot());
        String line;
        while ((line = input.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "hold-write" -> {
                    lock.writeLock().lock();
                    System.out.println("HELD");
                }
                case "release-write" -> {
                    lock.writeLock().unlock();
                    System.out.println("RELEASED");
                }
                case "block" -> block(lock, Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                        words.length > 3 ? Long.parseLong(words[3]) : 0);
                case "finish" -> {
                    finishing.run();
                    System.out.println("FINISHED");
                }
                case "exit" -> {
                    finishing.run();
                    region.close();
                    return;
                }
                default -> System.out.println("FAILED unknown command " + line);
            }
        }
        finishing.run();
        region.close();
    }

    private static void block(RWLock lock, int readers, int writers, long holdMicros) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(readers + writers);
        CountDownLatch finish = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < readers + writers; t++) {
            Lock half = t < readers ? lock.readLock() : lock.writeLock();
            Thread thread = new Thread(() -> {
                half.lock();
                LockSupport.parkNanos(holdMicros * 1_000);
                half.unlock();
                done.countDown();
                try {
                    finish.await(); // stay, so that the test can still read this thread's counters
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, (t < readers ? "reader-" : "writer-") + t);
            thread.start();
            threads.add(thread);
        }
        while (true) {
            LockStatistics mine = lock.processStatistics();
            if (mine.waitingReaders() == readers && mine.waitingWriters() == writers) {
                break;
            }
            Thread.sleep(5);
        }
        System.out.println("BLOCKED");
        done.await();
        System.out.println("ACQUIRED " + (readers + writers));
        finishing = () -> {
            finish.countDown();
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** Lets the threads of the last {@code block} end. */
    private static Runnable finishing = () -> {
    };
}
