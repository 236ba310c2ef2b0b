package io.hostsync;

import io.hostsync.RegionOptions;
import io.hostsync.internal.table.HashTable;
import io.hostsync.state.Codec;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
import io.hostsync.testing.JvmProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 *   <li>{@code map-mix ID THREADS OPS}: after {@code go}, each thread does OPS random operations of
 *       every kind on map "mixed" (merges, computes, compare-and-set loops, transfers between keys,
 *       reads, iteration), each adding 1 to the sum of its values or moving value between keys;
 *       prints {@code DONE increments=..}.</li>
 *   <li>{@code map-writer ID THREADS}: after {@code go}, each thread T puts {@link #record}(i) under
 *       key "main-ID-T" of map "records" for i = 1, 2, ..., and after each put sets element
 *       {@code ID * THREADS + T} of long array "acks" to i; between them it puts and removes
 *       "churn" keys. Until {@code stop}, then prints {@code DONE}; or until killed.</li>
 *   <li>{@code map-pause POINT OP KEY [VALUE]}: stops inside an operation on map "paused" (OP
 *       {@code put} or {@code remove}) at the named point of {@code HashTable}, which prints
 *       {@code PAUSED POINT} and holds the segment until this process is killed.</li>
 *   <li>{@code map-read-pause POINT}: iterates map "torn", its lock-free reader stopping once at
 *       the named point of {@code HashTable} (printing {@code PAUSED POINT}) until a writer has
 *       rewritten the record it was reading; prints {@code READ entries=key:value,...}, or
 *       {@code FAILED} and the exception.</li>
 * </ul>
 */
public final class StateWorker {

    /** How long a test waits for a worker's READY. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Starts a worker on a region and waits until it has opened it.
     *
     * @param options the region
     * @param args the mode and its arguments, as in the class comment
     * @return the ready worker
     */
    static JvmProcess start(RegionOptions options, String... args) {
        JvmProcess worker = JvmProcess.start(List.of(), StateWorker.class, arguments(options, args));
        worker.expect("READY", READY_TIMEOUT);
        return worker;
    }

    /**
     * Starts a worker in a PID namespace of its own, as {@link #start} does.
     *
     * @param options the region
     * @param args the mode and its arguments
     * @return the ready worker
     */
    static JvmProcess startInPidNamespace(RegionOptions options, String... args) {
        JvmProcess worker = JvmProcess.startInPidNamespace(StateWorker.class, arguments(options, args));
        worker.expect("READY", READY_TIMEOUT);
        return worker;
    }

    private static String[] arguments(RegionOptions options, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = options.directory().toString();
        all[1] = options.name();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

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
        if (args[2].equals("map-pause") || args[2].equals("map-read-pause")) {
            System.setProperty(HashTable.PAUSE_PROPERTY, args[3]); // before HashTable is loaded
        }
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
            case "map-mix" -> {
                SharedMap<String, Long> map = state.map("mixed", Codecs.utf8(), paddedLongs(), MIXED_CAPACITY);
                int threads = Integer.parseInt(args[4]);
                int operations = Integer.parseInt(args[5]);
                long seed = Long.parseLong(args[3]) * 1_000_003L + System.nanoTime();
                if (!"go".equals(input.readLine())) {
                    return;
                }
                AtomicLong increments = new AtomicLong();
                List<Thread> workers = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Random random = new Random(seed + t);
                    Thread thread = new Thread(() -> {
                        try {
                            increments.addAndGet(mix(map, random, operations));
                        } catch (RuntimeException | Error e) {
                            failures.add(e); // its increments are not counted: the test must fail, and say why
                            e.printStackTrace();
                        }
                    });
                    thread.start();
                    workers.add(thread);
                }
                for (Thread thread : workers) {
                    thread.join();
                }
                System.out.println("DONE increments=" + increments.get() + " failures=" + failures.size()
                        + (failures.isEmpty() ? ""
                                : " first=" + (failures.get(0) + "_at_"
                                        + List.of(failures.get(0).getStackTrace()).subList(0, Math.min(3,
                                                failures.get(0).getStackTrace().length)))
                                        .replace(' ', '_')));
            }
            case "map-writer" -> {
                int id = Integer.parseInt(args[3]);
                int threads = Integer.parseInt(args[4]);
                SharedMap<String, String> records = state.map("records", Codecs.utf8(), Codecs.utf8(),
                        RECORDS_CAPACITY);
                SharedLongArray acks = state.longArray("acks", ACKS);
                if (!"go".equals(input.readLine())) {
                    return;
                }
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Thread writer = new Thread(() -> {
                        Random random = new Random(id * 31L + thread);
                        for (long i = 1; !stop.get(); i++) {
                            records.put("main-" + id + "-" + thread, record(i));
                            acks.set(id * threads + thread, i);
                            String churn = "churn-" + id + "-" + thread + "-" + random.nextInt(16);
                            if (random.nextBoolean()) {
                                records.put(churn, record(random.nextInt(1000)));
                            } else {
                                records.remove(churn);
                            }
                        }
                    });
                    writer.start();
                    workers.add(writer);
                }
                if (!"stop".equals(input.readLine())) {
                    return;
                }
                stop.set(true);
                for (Thread thread : workers) {
                    thread.join();
                }
                System.out.println("DONE");
            }
            case "map-pause" -> {
                SharedMap<String, String> paused = state.map("paused", Codecs.utf8(), Codecs.utf8(), PAUSED_CAPACITY);
                if (args[4].equals("put")) {
                    paused.put(args[5], args[6]);
                } else {
                    paused.remove(args[5]);
                }
                System.out.println("FAILED the operation never reached " + args[3]);
            }
            case "map-read-pause" -> {
                SharedMap<String, String> torn = state.map("torn", Codecs.utf8(), Codecs.utf8(), TORN_CAPACITY);
                try {
                    StringBuilder entries = new StringBuilder();
                    for (Map.Entry<String, String> entry : torn.entrySet()) {
                        entries.append(entries.length() == 0 ? "" : ",").append(entry.getKey()).append(':')
                                .append(entry.getValue());
                    }
                    System.out.println("READ entries=" + entries);
                } catch (RuntimeException | Error e) {
                    System.out.println("FAILED " + e);
                }
            }
            default -> throw new IllegalArgumentException(args[2]);
        }
        while (input.readLine() != null) {
            // keep the region open until the test lets go
        }
        region.close();
    }

    /** Capacity of map "mixed". */
    static final MapCapacity MIXED_CAPACITY = MapCapacity.of(256, 32);
    /** Capacity of map "records". */
    static final MapCapacity RECORDS_CAPACITY = MapCapacity.of(2048, 120);
    /** Capacity of map "paused": four segments. */
    static final MapCapacity PAUSED_CAPACITY = MapCapacity.of(3000, 16);
    /** Capacity of map "torn": one segment, whose data area a clear lets the next put start from its first chunk. */
    static final MapCapacity TORN_CAPACITY = MapCapacity.of(64, 32);
    /** Length of long array "acks". */
    static final int ACKS = 64;

    /** One thread's share of {@code map-mix}; returns how much it added to the sum of the values. */
    private static long mix(SharedMap<String, Long> map, Random random, int operations) {
        long increments = 0;
        for (int op = 0; op < operations; op++) {
            String key = "k" + random.nextInt(64);
            switch (random.nextInt(7)) {
                case 0 -> {
                    map.merge(key, 1L, Long::sum);
                    increments++;
                }
                case 1 -> {
                    map.compute(key, (k, v) -> v == null ? 1L : v + 1);
                    increments++;
                }
                case 2 -> {
                    while (true) { // compare-and-set, as ConcurrentMap users write it
                        Long current = map.get(key);
                        if (current == null ? map.putIfAbsent(key, 1L) == null
                                : map.replace(key, current, current + 1)) {
                            break;
                        }
                    }
                    increments++;
                }
                case 3 -> {
                    Long moved = map.get(key);
                    if (moved != null && map.remove(key, moved)) { // a transfer: removes, then adds elsewhere
                        map.merge("k" + random.nextInt(64), moved, Long::sum);
                    }
                }
                case 4 -> {
                    if (map.computeIfPresent(key, (k, v) -> v + 1) != null) {
                        increments++;
                    }
                }
                case 5 -> map.get(key);
                default -> {
                    if (op % 50 == 0) {
                        for (Map.Entry<String, Long> entry : map.entrySet()) {
                            entry.getValue(); // decoding checks each value is whole
                        }
                    }
                }
            }
        }
        return increments;
    }

    /**
     * Longs encoded as text padded with as many '#' as the value modulo 17, so that a value's size
     * changes when it does, and a decoded value checks that its padding matches.
     */
    static Codec<Long> paddedLongs() {
        return new Codec<>() {
            @Override
            public byte[] encode(Long value) {
                return (value + ":" + "#".repeat((int) Math.floorMod(value, 17L))).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Long decode(byte[] bytes) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                long value = Long.parseLong(text.substring(0, text.indexOf(':')));
                if (text.length() != text.indexOf(':') + 1 + Math.floorMod(value, 17L)) {
                    throw new IllegalStateException("torn value '" + text + "'");
                }
                return value;
            }
        };
    }

    /** A map value whose parts must agree: "N:" + a run of one letter of a length chosen by N + ":N". */
    static String record(long n) {
        char letter = (char) ('a' + Math.floorMod(n, 26));
        return n + ":" + String.valueOf(letter).repeat(10 + (int) Math.floorMod(n, 150)) + ":" + n;
    }

    /** Whether a map value read is a whole {@link #record}. */
    static boolean wholeRecord(String value) {
        String[] parts = value.split(":");
        return parts.length == 3 && parts[0].equals(parts[2]) && value.equals(record(Long.parseLong(parts[0])));
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
