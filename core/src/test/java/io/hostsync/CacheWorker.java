package io.hostsync;

import io.hostsync.internal.table.HashTable;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCache;
import io.hostsync.testing.JvmProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A process that uses cache "c" (capacity {@link #CAPACITY}) of a region, for
 * {@link SharedCacheAcrossProcessesTest}. Arguments: directory, region name, mode, parameters.
 * It prints {@code READY} once the region is open, then:
 * <ul>
 *   <li>{@code put KEY VALUE TTL_MILLIS}: caches the value (0: no time to live); prints {@code PUT}.</li>
 *   <li>{@code pause POINT KEY}: puts KEY, stopping at the named point of {@code HashTable} (an
 *       eviction's {@code remove.intent}, or the put's {@code put.bucket}) where it prints
 *       {@code PAUSED POINT} and holds the segment until killed.</li>
 *   <li>{@code churn SEED}: puts self-checking {@link #payload}s under random keys, forever, so
 *       that nearly every put evicts (to be killed).</li>
 * </ul>
 */
public final class CacheWorker {

    /** The cache's capacity: one segment. */
    static final MapCapacity CAPACITY = MapCapacity.of(64, 64);

    private CacheWorker() {
    }

    static JvmProcess start(RegionOptions options, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = options.directory().toString();
        all[1] = options.name();
        System.arraycopy(args, 0, all, 2, args.length);
        JvmProcess worker = JvmProcess.start(List.of(), CacheWorker.class, all);
        worker.expect("READY", Duration.ofMinutes(2));
        return worker;
    }

    /**
     * Runs the worker.
     *
     * @param args directory, name, mode, parameters
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[2].equals("pause")) {
            System.setProperty(HashTable.PAUSE_PROPERTY, args[3]); // before HashTable is loaded
        }
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0])).build());
        SharedCache<String, String> cache = region.state().cache("c", Codecs.utf8(), Codecs.utf8(), CAPACITY);
        System.out.println("READY slot=" + region.slot());
        switch (args[2]) {
            case "put" -> {
                long ttl = Long.parseLong(args[5]);
                cache.put(args[3], args[4], ttl == 0 ? null : Duration.ofMillis(ttl));
                System.out.println("PUT");
            }
            case "pause" -> {
                cache.put(args[4], payload(args[4]), null);
                System.out.println("FAILED the put never reached " + args[3]);
            }
            case "churn" -> {
                Random random = new Random(Long.parseLong(args[3]));
                while (true) {
                    String key = "churn-" + random.nextInt(1000);
                    cache.put(key, payload(key), null);
                }
            }
            default -> throw new IllegalArgumentException(args[2]);
        }
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (input.readLine() != null) {
            // keep the region open until the test lets go
        }
        region.close();
    }

    /** A value that tells whether it was written whole: the key, repeated to a length the key gives. */
    static String payload(String key) {
        return (key + ";").repeat(1 + Math.floorMod(key.hashCode(), 5));
    }
}
