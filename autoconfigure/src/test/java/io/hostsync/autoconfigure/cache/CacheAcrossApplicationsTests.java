package io.hostsync.autoconfigure.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.hostsync.state.SharedCache;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import io.hostsync.testing.JvmProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.cache.actuate.endpoint.CachesEndpoint;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code @Cacheable} through the host-wide cache manager, in real Spring applications in several
 * JVMs: what one caches another hits, expiry and eviction are host-wide, {@code sync = true} loads
 * once for the host, and a loader killed mid-load does not leave the key locked; the cache meters
 * and the actuator's caches endpoint.
 */
class CacheAcrossApplicationsTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String region = "cache-apps-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    @Test
    void aValueCachedByOneApplicationIsAHitInAnother() {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther(List.of())) {
            there.send("get quotes IBM");
            String cached = there.expect("VALUE", TIMEOUT).substring("VALUE ".length());
            CachedApplication.Quotes quotes = here.getBean(CachedApplication.Quotes.class);
            assertThat(quotes.quote("IBM")).as("the other JVM's value").isEqualTo(cached);
            assertThat(loads(here).get()).as("loaded once, by the other JVM").isOne();
            MeterRegistry registry = here.getBean(MeterRegistry.class);
            assertThat(registry.get("cache.gets").tags("cache", "quotes", "result", "hit").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("cache.size").tags("cache", "quotes").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void anEntryExpiresForEveryApplicationWhenItsTimeToLiveEnds() throws Exception {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther(List.of())) {
            there.send("get short IBM");
            String cached = there.expect("VALUE", TIMEOUT).substring("VALUE ".length());
            CachedApplication.Quotes quotes = here.getBean(CachedApplication.Quotes.class);
            assertThat(quotes.shortLived("IBM")).isEqualTo(cached);
            Thread.sleep(700);
            assertThat(quotes.shortLived("IBM")).as("expired, loaded again here").isNotEqualTo(cached);
            there.send("get short IBM");
            assertThat(there.expect("VALUE", TIMEOUT)).as("the other JVM hits this JVM's new value")
                    .isEqualTo("VALUE " + quotes.shortLived("IBM"));
            assertThat(loads(here).get()).isEqualTo(2);
        }
    }

    @Test
    void aFullCacheEvictsForEveryApplication() {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther(List.of())) {
            there.send("fill small 500");
            there.expect("FILLED", TIMEOUT);
            CacheManager manager = here.getBean(CacheManager.class);
            HostsyncCache small = (HostsyncCache) manager.getCache("small");
            assertThat(small.getNativeCache().size()).as("no more than its capacity, for this JVM too")
                    .isLessThanOrEqualTo(64)
                    .isGreaterThan(32);
            assertThat(small.get("k499")).as("the last value the other JVM cached").isNotNull();
            long loadsBefore = loads(here).get();
            CachedApplication.Quotes quotes = here.getBean(CachedApplication.Quotes.class);
            for (int i = 0; i < 500; i++) {
                quotes.small("k" + i);
            }
            assertThat(loads(here).get() - loadsBefore).as("evicted entries are loaded again").isGreaterThan(400);
            MeterRegistry registry = here.getBean(MeterRegistry.class);
            assertThat(registry.get("cache.evictions").tags("cache", "small").functionCounter().count())
                    .isGreaterThan(0);
        }
    }

    @Test
    void missesOfOneKeyInSeveralApplicationsAtOnceLoadItOnceForTheHost() throws Exception {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region);
                JvmProcess second = startOther(List.of());
                JvmProcess third = startOther(List.of())) {
            CachedApplication.Quotes quotes = here.getBean(CachedApplication.Quotes.class);
            second.send("get quotes slow-IBM");
            third.send("get quotes slow-IBM");
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> quotes.quote("slow-IBM")));
            }
            String value = second.expect("VALUE", TIMEOUT).substring("VALUE ".length());
            assertThat(third.expect("VALUE", TIMEOUT)).isEqualTo("VALUE " + value);
            for (CompletableFuture<String> call : calls) {
                assertThat(call.get(2, TimeUnit.MINUTES)).isEqualTo(value);
            }
            assertThat(loads(here).get()).as("one load for three JVMs and six callers").isOne();
        }
    }

    @Test
    void aLoaderKilledMidLoadLeavesTheKeyToTheNextCaller() throws Exception {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region)) {
            CachedApplication.Quotes quotes = here.getBean(CachedApplication.Quotes.class);
            CompletableFuture<String> waiting;
            try (JvmProcess loader = startOther(List.of("env", "JAVA_TOOL_OPTIONS=-Dhang=true"))) {
                loader.send("get quotes hang-IBM");
                loader.expect("LOADING hang-IBM", TIMEOUT);
                waiting = CompletableFuture.supplyAsync(() -> quotes.quote("hang-IBM"));
                Thread.sleep(200);
                assertThat(waiting).as("waits for the other JVM's load").isNotDone();
                loader.kill();
            }
            assertThat(waiting.get(2, TimeUnit.MINUTES)).as("loaded here once the loader died")
                    .endsWith("@" + ProcessHandle.current().pid());
            assertThat(loads(here).get()).isEqualTo(2);
            assertThat(quotes.quote("hang-IBM")).isEqualTo(waiting.get());
        }
    }

    @Test
    void theCachesEndpointListsAndClearsTheHostWideCaches() {
        try (ConfigurableApplicationContext here = CachedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther(List.of())) {
            there.send("get quotes IBM");
            there.expect("VALUE", TIMEOUT);
            CachesEndpoint endpoint = here.getBean(CachesEndpoint.class);
            Map<String, ?> caches = endpoint.caches().getCacheManagers().get("cacheManager").getCaches();
            assertThat(caches).containsOnlyKeys("quotes", "short", "small");
            assertThat(endpoint.cache("quotes", null).getTarget()).isEqualTo(SharedCache.class.getName());
            assertThat(endpoint.clearCache("quotes", null)).isTrue();
            there.send("get quotes IBM");
            there.expect("VALUE", TIMEOUT);
            assertThat(loads(here).get()).as("cleared for the other JVM too: it loads again").isEqualTo(2);
        }
    }

    private SharedCounter loads(ConfigurableApplicationContext context) {
        return context.getBean(SharedState.class).counter("loads");
    }

    private JvmProcess startOther(List<String> prefix) {
        JvmProcess other = JvmProcess.start(prefix, CachedApplication.class, this.directory.toString(), this.region);
        other.expect("READY", TIMEOUT);
        return other;
    }
}
