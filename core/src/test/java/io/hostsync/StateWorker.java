package io.hostsync;

import io.hostsync.state.Codecs;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A process that uses a region's SharedState, for the tests across processes. Arguments:
 * directory, region name, mode, then the mode's parameters. Prints {@code READY}, does its job,
 * prints its result, and keeps the region open until its input closes.
 *
 * <ul>
 *   <li>{@code count ID THREADS N}: each thread adds 1 to counter "hits" and to element ID of
 *       long array "per-worker" N times; prints {@code DONE}.</li>
 *   <li>{@code set TEXT}: sets value "greeting"; prints {@code SET version=..}.</li>
 *   <li>{@code get}: prints {@code GOT value=.. version=..} for value "greeting".</li>
 *   <li>{@code hold-permits N}: takes N permits of semaphore "pool" (3 permits); prints {@code HELD}.</li>
 *   <li>{@code wait-permits THREADS}: starts THREADS threads ({@code acquirer-N}) that each take
 *       one permit of semaphore "pool" and give it back; prints {@code WAITING} once they are
 *       started and {@code ACQUIRED THREADS} once all of them had a permit.</li>
 *   <li>{@code set-loop}: sets value "record" to self-checking payloads, forever (to be killed).</li>
 * </ul>
 */
public final class StateWorker {

    /** Capacity of the "record" value. */
    static final int RECORD_CAPACITY = 8192;

    private StateWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args directory, name, mode, parameters
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0])).build());
        SharedState state = region.state();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY slot=" + region.slot());
        switch (args[2]) {
            case "count" -> {
                int id = Integer.parseInt(args[3]);
                int threads = Integer.parseInt(args[4]);
                long each = Long.parseLong(args[5]);
                SharedCounter hits = state.counter("hits");
                SharedLongArray perWorker = state.longArray("per-worker", 16);
                if (!"go".equals(input.readLine())) {
                    return;
                }
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread thread = new Thread(() -> {
                        for (long i = 0; i < each; i++) {
                            hits.incrementAndGet();
                            perWorker.incrementAndGet(id);
                        }
                    });
                    thread.start();
                    workers.add(thread);
                }
                for (Thread thread : workers) {
                    thread.join();
                }
                System.out.println("DONE");
            }
            case "set" -> {
                SharedValue<String> greeting = state.value("greeting", Codecs.utf8(), 256);
                greeting.set(args[3]);
                System.out.println("SET version=" + greeting.version());
            }
            case "get" -> {
                SharedValue<String> greeting = state.value("greeting", Codecs.utf8(), 256);
                System.out.println("GOT value=" + greeting.get() + " version=" + greeting.version());
            }
            case "hold-permits" -> {
                state.semaphore("pool", 3).acquire(Integer.parseInt(args[3]));
                System.out.println("HELD");
            }
            case "wait-permits" -> {
                SharedSemaphore pool = state.semaphore("pool", 3);
                int threads = Integer.parseInt(args[3]);
                CountDownLatch acquired = new CountDownLatch(threads);
                for (int t = 0; t < threads; t++) {
                    Thread thread = new Thread(() -> {
                        try {
                            pool.acquire(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                        pool.release(1);
                        acquired.countDown();
                    }, "acquirer-" + t);
                    thread.setDaemon(true);
                    thread.start();
                }
                System.out.println("WAITING");
                acquired.await();
                System.out.println("ACQUIRED " + threads);
            }
            case "set-loop" -> {
                SharedValue<String> record = state.value("record", Codecs.utf8(), RECORD_CAPACITY);
                long next = System.nanoTime();
                while (true) {
                    record.set(payload(next++));
                }
            }
            default -> throw new IllegalArgumentException(args[2]);
        }
        while (input.readLine() != null) {
            // keep the region open until the test lets go
        }
        region.close();
    }

    /** A value whose parts must agree: "N:" + a run of one letter of a length chosen by N + ":N". */
    static String payload(long n) {
        char letter = (char) ('a' + Math.floorMod(n, 26));
        return n + ":" + String.valueOf(letter).repeat(1000 + (int) Math.floorMod(n, 6000)) + ":" + n;
    }

    /** Whether a value read is a whole payload (or null: never set). */
    static boolean whole(String value) {
        if (value == null) {
            return true;
        }
        String[] parts = value.split(":");
        if (parts.length != 3 || !parts[0].equals(parts[2])) {
            return false;
        }
        return parts[1].equals(payload(Long.parseLong(parts[0])).split(":")[1]);
    }
}
