package io.hostsync.sample;

import java.util.List;

import io.hostsync.autoconfigure.cohort.CohortStatistics;
import io.hostsync.sample.Instances.Instance;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the status page shows besides the actuator's {@code /actuator/hostsync}: the sample's own
 * shared state, at {@code GET /api/status}.
 */
@RestController
public class StatusController {

    private final Instances instances;

    private final PriceBook priceBook;

    private final QuoteRateLimiter rateLimiter;

    private final QuotesProperties properties;

    private final @Nullable ClusterCounter cluster;

    /**
     * Creates the controller.
     *
     * @param instances the instances on the host
     * @param priceBook the host's price table
     * @param rateLimiter the host's rate limit
     * @param properties the limit and the refresh interval
     * @param cluster the cluster's counter, with the profile {@code cohort} only
     */
    public StatusController(Instances instances, PriceBook priceBook, QuoteRateLimiter rateLimiter,
            QuotesProperties properties, ObjectProvider<ClusterCounter> cluster) {
        this.instances = instances;
        this.priceBook = priceBook;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
        this.cluster = cluster.getIfAvailable();
    }

    /**
     * Describes the sample's shared state as every instance on the host sees it.
     *
     * @return the status
     */
    @GetMapping("/api/status")
    public SampleStatus status() {
        return new SampleStatus(this.instances.self(), this.instances.live(), this.priceBook.current(),
                new Quotes(this.rateLimiter.admitted(), this.rateLimiter.rejected(),
                        this.properties.rateLimit().maxQuotes(), this.properties.rateLimit().window().toMillis()),
                this.properties.refresh().interval().toMillis(), cluster());
    }

    private @Nullable Cluster cluster() {
        if (this.cluster == null) {
            return null;
        }
        CohortStatistics statistics = this.cluster.statistics();
        Long counter;
        try {
            counter = this.cluster.value();
        } catch (RuntimeException ex) { // Redis down: the rest of the status still shows, and the health says why
            counter = null;
        }
        return new Cluster(this.cluster.hostGroup().toString(), counter, statistics.remoteAcquisitions(),
                statistics.localHandoffs());
    }

    /**
     * The body of {@code GET /api/status}.
     *
     * @param self the instance that answered
     * @param instances every live instance on the host, by slot
     * @param prices the host's price table
     * @param quotes the host's quote counters and rate limit
     * @param refreshIntervalMillis how often prices are refreshed, in milliseconds
     * @param cluster the cluster-wide counter and its cohort lock, with the profile {@code cohort};
     *     else null
     */
    public record SampleStatus(Instance self, List<Instance> instances, PriceTable prices, Quotes quotes,
            long refreshIntervalMillis, @Nullable Cluster cluster) {
    }

    /**
     * This instance's part in the cluster, with the profile {@code cohort}.
     *
     * @param hostGroup the host group this instance belongs to: its region's directory
     * @param counter the cluster-wide counter, null if Redis did not answer
     * @param remoteAcquisitions increments of this instance that took the lease in Redis (the meter
     *     {@code hostsync.cohort.remote.acquisitions})
     * @param localHandoffs increments of this instance that ran under its host's lease, without a
     *     call to Redis (the meter {@code hostsync.cohort.local.handoffs})
     */
    public record Cluster(String hostGroup, @Nullable Long counter, long remoteAcquisitions, long localHandoffs) {
    }

    /**
     * The host's quote counters, every instance included.
     *
     * @param admitted quotes the rate limit admitted
     * @param rejected quotes it rejected with 429
     * @param maxQuotes the limit: quotes per window
     * @param windowMillis the limit's window, in milliseconds
     */
    public record Quotes(long admitted, long rejected, int maxQuotes, long windowMillis) {
    }
}
