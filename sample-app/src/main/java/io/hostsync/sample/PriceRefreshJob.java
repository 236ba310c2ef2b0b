package io.hostsync.sample;

import java.time.Duration;
import java.time.Instant;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refreshes the host's prices from the feed about every {@code quotes.refresh.interval}, on one
 * instance at a time.
 *
 * <p>Every instance schedules the job. The first to take the write lock of {@value #LOCK} runs it;
 * the others, finding the lock held, skip their turn (each skip counts as a timeout of the lock).
 * Whoever runs next checks how old the table is, so the host refreshes once per interval rather
 * than once per interval per instance.
 *
 * <p>Why {@code @WriteGuarded} rather than ShedLock's {@code @SchedulerLock}, which the starter
 * also supports (docs/annotations.md, "ShedLock's @SchedulerLock"): the refresh publishes the
 * host's price table under this lock, so a refresher killed half way leaves the lock possibly torn
 * for the next one ({@link PriceBook#acknowledgeIfTorn}), a notion ShedLock does not have; and its
 * skipped turns, holders and waits show on the status page and in the {@code hostsync.lock.*}
 * meters of the lock {@value #LOCK}. Both free the job at once when its runner dies.
 */
@Component
public class PriceRefreshJob {

    /** The lock held for the whole refresh, fetch included. */
    public static final String LOCK = "price-refresh";

    private final PriceBook priceBook;

    private final PriceFeed feed;

    private final Duration interval;

    private final RWLock lock;

    /**
     * Creates the job.
     *
     * @param priceBook where prices are published
     * @param feed where they come from
     * @param region the sample's region
     * @param properties the refresh interval
     */
    public PriceRefreshJob(PriceBook priceBook, PriceFeed feed, SharedRegion region, QuotesProperties properties) {
        this.priceBook = priceBook;
        this.feed = feed;
        this.interval = properties.refresh().interval();
        this.lock = region.lock(LOCK);
    }

    /**
     * Fetches and publishes new prices, unless another instance is doing it or did it less than
     * an interval ago.
     *
     * <p>It waits up to 100 ms for the lock rather than not at all, so that every skipped turn counts
     * as a timeout of the lock (the status page and the metrics show them); a failed zero-timeout
     * attempt is not a timeout. Either way an instance killed in the middle of a refresh is taken
     * over: a waiting or trying instance asks the kernel whether the holder is alive.
     *
     * @throws InterruptedException if the application stops during the fetch
     */
    @Scheduled(fixedDelayString = "${quotes.refresh.interval}")
    @WriteGuarded(lock = LOCK, timeout = "100ms", onTimeout = OnTimeout.SKIP)
    public void refreshPrices() throws InterruptedException {
        PriceBook.acknowledgeIfTorn(this.lock);
        PriceTable current = this.priceBook.current();
        if (current.published().plus(this.interval).isAfter(Instant.now())) {
            return; // fresh enough: another instance refreshed, or someone published, less than an interval ago
        }
        this.priceBook.publish(this.feed.fetch(current.prices()), "scheduled refresh");
    }
}
