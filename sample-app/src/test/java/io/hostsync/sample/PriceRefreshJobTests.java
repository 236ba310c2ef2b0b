package io.hostsync.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.hostsync.LockStatistics;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.sample.SampleInstances.SampleProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled price refresh runs on one instance of the host at a time, across two JVMs: this
 * one, refreshing often with an instant feed, and another whose feed never answers in time, so
 * that it holds the refresh lock as long as the test needs.
 */
class PriceRefreshJobTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void whileOneInstanceRefreshesTheOthersSkipTheirTurn() {
        try (ConfigurableApplicationContext here = startHere(); SampleProcess slow = startSlowRefresher()) {
            SharedRegion region = here.getBean(SharedRegion.class);
            RWLock refresh = region.lock(PriceRefreshJob.LOCK);
            int slowSlot = awaitRefreshBy(refresh, region, slow);
            long version = here.getBean(PriceBook.class).current().version();
            long skipped = refresh.processStatistics().timeouts();

            await().atMost(WAIT).until(() -> refresh.processStatistics().timeouts() >= skipped + 3);

            assertThat(refresh.hostStatistics().writerSlot()).as("the slow instance still refreshes")
                    .isEqualTo(slowSlot);
            assertThat(here.getBean(PriceBook.class).current().version()).as("no other refresh published")
                    .isEqualTo(version);
        }
    }

    @Test
    void anInstanceKilledInTheMiddleOfARefreshIsTakenOverByAnother() {
        try (ConfigurableApplicationContext here = startHere(); SampleProcess slow = startSlowRefresher()) {
            SharedRegion region = here.getBean(SharedRegion.class);
            RWLock refresh = region.lock(PriceRefreshJob.LOCK);
            PriceBook priceBook = here.getBean(PriceBook.class);
            awaitRefreshBy(refresh, region, slow);
            long version = priceBook.current().version();

            slow.kill();

            String self = here.getBean(Instances.class).describeSelf();
            await().atMost(WAIT).until(() -> priceBook.current().version() > version
                    && priceBook.current().publishedBy().equals(self));
            LockStatistics host = refresh.hostStatistics();
            assertThat(host.recoveries()).as("the killed refresher's lock was reclaimed").isEqualTo(1);
            assertThat(host.possiblyTorn()).as("the next refresher acknowledged the torn mark").isFalse();
            assertThat(
                    Http.json(SampleInstances.port(here), "/actuator/health/hostsync").read("$.status", String.class))
                    .isEqualTo("UP");
        }
    }

    /** This instance refreshes whenever the table is older than 200 ms, instantly. */
    private ConfigurableApplicationContext startHere() {
        return SampleInstances.startHere(this.directory, "quotes.refresh.interval=200ms",
                "quotes.refresh.fetch-time=0");
    }

    /**
     * The other instance's feed takes ten minutes: once it starts refreshing, it holds the lock until
     * stopped. Stopping it waits 1 s, not Spring's 30 s, for the refresh to end.
     */
    private SampleProcess startSlowRefresher() {
        return SampleInstances.startProcess(this.directory, "quotes.refresh.interval=100ms",
                "quotes.refresh.fetch-time=10m", "spring.lifecycle.timeout-per-shutdown-phase=1s");
    }

    private static int awaitRefreshBy(RWLock refresh, SharedRegion region, SampleProcess instance) {
        int slot = SampleInstances.slotOf(region, instance.pid());
        SampleInstances.awaitRefreshInProgress(refresh, slot);
        return slot;
    }
}
