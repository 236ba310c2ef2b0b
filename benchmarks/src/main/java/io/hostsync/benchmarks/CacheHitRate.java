package io.hostsync.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCache;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The hit rate of the host-wide cache's eviction (sampled LRU) against Caffeine's (W-TinyLFU) and
 * an exact LRU, on Zipf-distributed keys (issue 18). Not a timing: each cache sees the same
 * sequence of gets, a miss followed by a put, one thread.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hostsync.benchmarks.CacheHitRate
 * [keys] [cache size] [requests] [exponent...]}.
 */
public final class CacheHitRate {

    private CacheHitRate() {
    }

    /**
     * Prints one line per Zipf exponent: the hit rates of each cache.
     *
     * @param args keys, cache size, requests, exponents
     */
    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000;
        double[] exponents = args.length > 3 ? java.util.Arrays.stream(args, 3, args.length)
                .mapToDouble(Double::parseDouble).toArray() : new double[] { 0.7, 0.9, 0.99, 1.2 };
        System.out.printf("keys %d, cache size %d, requests %d (the first 10%% warm the caches, uncounted)%n", keys,
                size, requests);
        System.out.println("| Zipf exponent | hostsync (sampled LRU) | Caffeine (W-TinyLFU) | exact LRU |");
        System.out.println("|---:|---:|---:|---:|");
        for (double exponent : exponents) {
            int[] sequence = zipf(keys, exponent, requests, new Random(18));
            double hostsync;
            RegionOptions options = RegionOptions.builder(Regions.uniqueName()).size(256L << 20).build();
            try (SharedRegion region = SharedRegion.open(options)) {
                SharedCache<String, String> cache = region.state().cache("rate", Codecs.utf8(), Codecs.utf8(),
                        MapCapacity.of(size, 32));
                hostsync = rate(sequence, key -> {
                    String name = Integer.toString(key);
                    if (cache.get(name) != null) {
                        return true;
                    }
                    cache.put(name, "v", null);
                    return false;
                });
            } finally {
                SharedRegion.delete(options);
            }
            com.github.benmanes.caffeine.cache.Cache<Integer, Boolean> caffeine = Caffeine.newBuilder()
                    .maximumSize(size).executor(Runnable::run).build();
            double caffeineRate = rate(sequence, key -> {
                if (caffeine.getIfPresent(key) != null) {
                    return true;
                }
                caffeine.put(key, Boolean.TRUE);
                return false;
            });
            Map<Integer, Boolean> lru = new LinkedHashMap<>(size * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > size;
                }
            };
            double lruRate = rate(sequence, key -> lru.put(key, Boolean.TRUE) != null);
            System.out.printf("| %.2f | %.1f %% | %.1f %% | %.1f %% |%n", exponent, hostsync * 100, caffeineRate * 100,
                    lruRate * 100);
        }
    }

    private static double rate(int[] sequence, java.util.function.IntPredicate get) {
        int warm = sequence.length / 10;
        long hits = 0;
        for (int i = 0; i < sequence.length; i++) {
            if (get.test(sequence[i]) && i >= warm) {
                hits++;
            }
        }
        return (double) hits / (sequence.length - warm);
    }

    /** Keys 0..n-1 with P(k) proportional to 1/(k+1)^s, scattered (rank is not key order). */
    static int[] zipf(int n, double s, int count, Random random) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        int[] permutation = new int[n];
        for (int k = 0; k < n; k++) {
            permutation[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = permutation[k];
            permutation[k] = permutation[j];
            permutation[j] = t;
        }
        int[] sequence = new int[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble() * sum;
            int rank = java.util.Arrays.binarySearch(cumulative, u);
            sequence[i] = permutation[rank < 0 ? -rank - 1 : rank];
        }
        return sequence;
    }
}
