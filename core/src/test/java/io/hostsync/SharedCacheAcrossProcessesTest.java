package io.hostsync;

import static io.hostsync.internal.region.Words.INTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.SharedCache;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SharedCache between real JVMs: what one process caches another hits, expiry is host-wide, and a
 * process killed with SIGKILL in the middle of a put or of an eviction leaves the cache consistent
 * for the others, with no recovery step.
 */
class SharedCacheAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void anEntryCachedByOneProcessIsHitByAnotherUntilItsTimeToLiveEnds() throws Exception {
        RegionOptions options = regions.options("cache-share").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedCache<String, String> cache = region.state().cache("c", Codecs.utf8(), Codecs.utf8(),
                    CacheWorker.CAPACITY);
            try (JvmProcess writer = CacheWorker.start(options, "put", "quote", "42", "300")) {
                writer.expect("PUT", TIMEOUT);
                assertThat(cache.get("quote")).as("another process's entry").isEqualTo("42");
                Thread.sleep(600);
                assertThat(cache.get("quote")).as("gone for this process when the writer's time to live ended")
                        .isNull();
            }
        }
    }

    /**
     * A writer stopped after recording the intent of an eviction (or of the put that follows it)
     * and killed there: the next writer completes the operation by itself.
     */
    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = { "remove.intent", "put.bucket" })
    void aProcessKilledInTheMiddleOfAnEvictingPutLeavesTheCacheConsistent(String point) {
        RegionOptions options = regions.options("cache-pause").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedCache<String, String> cache = region.state().cache("c", Codecs.utf8(), Codecs.utf8(),
                    CacheWorker.CAPACITY);
            Set<String> before = new HashSet<>();
            for (int i = 0; i < CacheWorker.CAPACITY.entries(); i++) {
                cache.put("k" + i, CacheWorker.payload("k" + i), null);
                before.add("k" + i);
            }
            assertThat(cache.size()).isEqualTo(CacheWorker.CAPACITY.entries());
            try (JvmProcess writer = CacheWorker.start(options, "pause", point, "newcomer")) {
                writer.expect("PAUSED " + point, TIMEOUT);
                int segment = TableLayout.segmentOffset(blockOf(region, "c"), TableLayout.geometry(
                        CacheWorker.CAPACITY.entries(), CacheWorker.CAPACITY.averageEntryBytes()), 0);
                assertThat((int) INTS.getVolatile(region.buffer(), segment + TableLayout.INTENT_KIND_OFFSET))
                        .as("the intent is recorded").isNotZero();
                writer.kill();
            }
            assertThat(cache.verify()).as("the next writer of the segment completes the operation").isEmpty();
            assertThat(cache.recoveries()).isOne();
            int present = 0;
            for (String key : before) {
                String value = cache.get(key);
                if (value != null) {
                    assertThat(value).isEqualTo(CacheWorker.payload(key));
                    present++;
                }
            }
            String newcomer = cache.get("newcomer");
            if (point.equals("remove.intent")) {
                assertThat(present).as("the victim's removal was completed").isEqualTo(before.size() - 1);
                assertThat(newcomer).as("the put itself never began").isNull();
            } else {
                assertThat(present).isEqualTo(before.size() - 1);
                assertThat(newcomer).as("the put was completed").isEqualTo(CacheWorker.payload("newcomer"));
            }
            cache.put("after", "a", null);
            assertThat(cache.get("after")).isEqualTo("a");
            assertThat(cache.size()).isLessThanOrEqualTo(CacheWorker.CAPACITY.entries());
        }
    }

    @Test
    void writersKilledAtRandomInstantsWhileEvictingLeaveWholeEntriesAndASoundStructure() throws Exception {
        RegionOptions options = regions.options("cache-churn").build();
        long seed = Long.getLong("hostsync.kill.seed", System.nanoTime());
        Random random = new Random(seed);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedCache<String, String> cache = region.state().cache("c", Codecs.utf8(), Codecs.utf8(),
                    CacheWorker.CAPACITY);
            try (JvmProcess survivor = CacheWorker.start(options, "churn", String.valueOf(seed))) {
                for (int kill = 0; kill < 5; kill++) {
                    try (JvmProcess victim = CacheWorker.start(options, "churn", String.valueOf(seed + kill + 1))) {
                        Thread.sleep(50 + random.nextInt(300));
                        victim.kill();
                    }
                    for (int key = 0; key < 1000; key++) {
                        String value = cache.get("churn-" + key);
                        assertThat(value == null || value.equals(CacheWorker.payload("churn-" + key)))
                                .as("kill %d (seed %d): churn-%d is absent or whole, not %s", kill, seed, key, value)
                                .isTrue();
                    }
                    assertThat(cache.verify()).as("kill %d (seed %d)", kill, seed).isEmpty();
                    assertThat(cache.size()).isLessThanOrEqualTo(CacheWorker.CAPACITY.entries());
                }
            }
            System.out.printf("SharedCacheAcrossProcessesTest: seed %d, %d operations of killed writers completed%n",
                    seed, cache.recoveries());
        }
    }

    private static long blockOf(SharedRegion region, String name) {
        for (EntryInfo entry : region.state().entries()) {
            if (entry.name().equals(name)) {
                return entry.blockOffset();
            }
        }
        throw new AssertionError("no entry " + name);
    }
}
