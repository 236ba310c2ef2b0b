package io.hostsync;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * A participant that waits, for the tests of how robust waiters sleep and wake. Arguments:
 * directory, region name. Prints {@code READY}, then obeys lines on standard input:
 * <ul>
 *   <li>{@code hold-write}: takes the write lock and keeps it (prints {@code HELD}) until
 *       {@code release-write} (prints {@code RELEASED});</li>
 *   <li>{@code block READERS WRITERS}: starts that many platform threads that each take the read
 *       (or write) lock once and let it go; prints {@code BLOCKED} once all of them wait, and
 *       {@code ACQUIRED} once all of them got in;</li>
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
                case "block" -> block(lock, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
                case "exit" -> {
                    region.close();
                    return;
                }
                default -> System.out.println("FAILED unknown command " + line);
            }
        }
        region.close();
    }

    private static void block(RWLock lock, int readers, int writers) throws InterruptedException {
        AtomicInteger acquired = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < readers + writers; t++) {
            Lock half = t < readers ? lock.readLock() : lock.writeLock();
            Thread thread = new Thread(() -> {
                half.lock();
                acquired.incrementAndGet();
                half.unlock();
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
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println("ACQUIRED " + acquired);
    }
}
