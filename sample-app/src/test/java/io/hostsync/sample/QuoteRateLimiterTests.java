package io.hostsync.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The host-wide rate limit over a region opened twice, as two instances would.
 */
class QuoteRateLimiterTests {

    @TempDir
    Path directory;

    private final List<SharedRegion> regions = new ArrayList<>();

    @AfterEach
    void closeRegions() {
        this.regions.forEach(SharedRegion::close);
    }

    @Test
    void limitersOverOneRegionShareOneLimitAndCountWhatTheyRejected() {
        QuoteRateLimiter here = limiter(open(), 5, Duration.ofHours(1));
        QuoteRateLimiter there = limiter(open(), 5, Duration.ofHours(1));
        long window = currentHour();

        int admitted = 0;
        for (int i = 0; i < 8; i++) {
            admitted += (here.tryAcquire() ? 1 : 0) + (there.tryAcquire() ? 1 : 0);
        }

        if (currentHour() == window) {
            assertThat(admitted).isEqualTo(5);
        } else { // the hour turned during the loop: a second window admitted up to 5 more
            assertThat(admitted).isBetween(5, 10);
        }
        assertThat(here.admitted()).isEqualTo(there.admitted()).isEqualTo(admitted);
        assertThat(here.rejected()).isEqualTo(there.rejected()).isEqualTo(16 - admitted);
    }

    @Test
    void aNewWindowAdmitsAgain() {
        QuoteRateLimiter limiter = limiter(open(), 2, Duration.ofMillis(200));
        // Three at once: the third is over the limit, unless a window ended between them.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> limiter.tryAcquire() & limiter.tryAcquire() & !limiter.tryAcquire());

        await().atMost(Duration.ofSeconds(10)).until(limiter::tryAcquire);
    }

    @Test
    void aRejectedCallerIsToldToRetryWhenTheWindowEnds() {
        assertThat(limiter(open(), 1, Duration.ofMinutes(1)).retryAfter()).isBetween(Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        assertThat(limiter(open(), 1, Duration.ofMillis(100)).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    /** Opens the test's region once more: each opening takes a slot of its own, as an instance does. */
    private SharedRegion open() {
        SharedRegion region = SharedRegion.open(RegionOptions.builder("limits").directory(this.directory).build());
        this.regions.add(region);
        return region;
    }

    private static QuoteRateLimiter limiter(SharedRegion region, int maxQuotes, Duration window) {
        return new QuoteRateLimiter(region, new QuotesProperties(new QuotesProperties.RateLimit(maxQuotes, window),
                new QuotesProperties.Refresh(Duration.ofSeconds(10), Duration.ZERO), Map.of("ACME", BigDecimal.ONE),
                Duration.ofSeconds(5)));
    }

    private static long currentHour() {
        return System.currentTimeMillis() / Duration.ofHours(1).toMillis();
    }
}
