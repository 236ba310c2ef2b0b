package io.hostsync.sample;

import java.util.List;

import io.hostsync.sample.Instances.Instance;

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

    /**
     * Creates the controller.
     *
     * @param instances the instances on the host
     * @param priceBook the host's price table
     * @param rateLimiter the host's rate limit
     * @param properties the limit and the refresh interval
     */
    public StatusController(Instances instances, PriceBook priceBook, QuoteRateLimiter rateLimiter,
            QuotesProperties properties) {
        this.instances = instances;
        this.priceBook = priceBook;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
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
                this.properties.refresh().interval().toMillis());
    }

    /**
     * The body of {@code GET /api/status}.
     *
     * @param self the instance that answered
     * @param instances every live instance on the host, by slot
     * @param prices the host's price table
     * @param quotes the host's quote counters and rate limit
     * @param refreshIntervalMillis how often prices are refreshed, in milliseconds
     */
    public record SampleStatus(Instance self, List<Instance> instances, PriceTable prices, Quotes quotes,
            long refreshIntervalMillis) {
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
