package io.hostsync.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A map of 1,000,000 entries (16-byte keys, 64-byte values) shared by the processes of a host,
 * against the maps users would otherwise choose (issue 17): {@link java.util.concurrent.ConcurrentHashMap}
 * in one JVM, Chronicle Map in a file in {@code /dev/shm}, and a Redis hash on a local
 * {@code redis-server}. Each benchmark method is one operation on a random entry: a get that
 * hits, a get that misses, a put that replaces a value of the same size, and a mix of 95 % gets
 * and 5 % puts.
 *
 * <p>With {@code participants=4}, three others run the mix on the same map for the whole trial
 * while the measured thread works: partner processes for the maps shared by processes
 * (hostsync, Chronicle Map), threads of this JVM for {@code ConcurrentHashMap} and Redis (whose
 * server is one process whatever its clients are).
 *
 * <p>Chronicle Map needs these {@code --add-opens}/{@code --add-exports} on Java 17 and later;
 * partner processes get the same options from this JVM's arguments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g", "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED" })
public class MapBenchmark {

    /** Entries in the map: the million. */
    static final int ENTRIES = 1_000_000;

    /** The map under test. */
    @Param({ "hostsync", "concurrentHashMap", "chronicleMap", "redis" })
    public String contender;

    /** Participants working on the map at once, the measured thread included. */
    @Param({ "1", "4" })
    public int participants;

    private MapUnderTest map;
    private final List<PartnerProcess> partners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private byte[][] keys;
    private byte[][] missingKeys;
    private byte[] newValue;
    private long random = System.nanoTime() | 1;

    /** Creates and fills the map, then starts the other participants. */
    @Setup(Level.Trial)
    public void setUp() {
        map = MapUnderTest.create(contender, ENTRIES);
        keys = new byte[ENTRIES][];
        missingKeys = new byte[1024][];
        for (int i = 0; i < ENTRIES; i++) {
            keys[i] = MapUnderTest.key(i);
        }
        for (int i = 0; i < missingKeys.length; i++) {
            missingKeys[i] = MapUnderTest.key(ENTRIES + 1L + i);
        }
        newValue = MapUnderTest.value(-1);
        List<String> join = map.joinArguments();
        for (int i = 1; i < participants; i++) {
            if (join != null) {
                List<String> arguments = new ArrayList<>(List.of("map-mix"));
                arguments.addAll(join);
                partners.add(PartnerProcess.start(arguments));
            } else {
                Thread thread = new Thread(() -> mixUntilStopped(map, () -> stopped), "map-participant-" + (i + 1));
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
    }

    /** Stops the others, then closes the map and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stopped = true;
        partners.forEach(PartnerProcess::stop);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (map != null) {
            map.close();
        }
    }

    /** @return the value of an entry that is there */
    @Benchmark
    public byte[] getHit() {
        return map.get(keys[nextIndex(ENTRIES)]);
    }

    /** @return {@code null}: the key is not in the map */
    @Benchmark
    public byte[] getMiss() {
        return map.get(missingKeys[nextIndex(missingKeys.length)]);
    }

    /** Replaces the value of an entry that is there with one of the same size. */
    @Benchmark
    public void put() {
        map.put(keys[nextIndex(ENTRIES)], newValue);
    }

    /**
     * The same replacement without reading the value replaced: {@code SharedMap.set} for hostsync,
     * a put for the others (whose put the benchmark measures above).
     */
    @Benchmark
    public void set() {
        map.set(keys[nextIndex(ENTRIES)], newValue);
    }

    /** @return what the get found, or {@code null} after a put: 95 % gets, 5 % puts */
    @Benchmark
    public byte[] mixed95get5put() {
        int index = nextIndex(ENTRIES);
        if (index % 20 == 0) {
            map.put(keys[index], newValue);
            return null;
        }
        return map.get(keys[index]);
    }

    private int nextIndex(int bound) {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        return (int) Long.remainderUnsigned(random, bound);
    }

    /**
     * Runs the 95/5 mix on random entries until told to stop.
     *
     * @param map the map
     * @param stop when to stop
     * @return operations done
     */
    static long mixUntilStopped(MapUnderTest map, java.util.function.BooleanSupplier stop) {
        byte[] value = MapUnderTest.value(-2);
        long random = System.nanoTime() | 1;
        long operations = 0;
        while (!stop.getAsBoolean()) {
            for (int i = 0; i < 64; i++) {
                random ^= random << 13;
                random ^= random >>> 7;
                random ^= random << 17;
                int index = (int) Long.remainderUnsigned(random, map.entries);
                byte[] key = MapUnderTest.key(index);
                if (index % 20 == 0) {
                    map.put(key, value);
                } else {
                    map.get(key);
                }
            }
            operations += 64;
        }
        return operations;
    }
}
