package io.hostsync.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The quote service's settings, bound from {@code quotes.*} (see application.yml). The rate limit
 * is for the whole host, so every instance should be given the same one.
 *
 * @param rateLimit the host-wide rate limit of quotes
 * @param refresh the scheduled price refresh
 * @param initialPrices the price table the first instance on the host starts with, by symbol
 * @param lockTimeout how long a quote or a publication waits for the prices lock before answering
 *     503 (read by the {@code @ReadGuarded} and {@code @WriteGuarded} annotations of {@link PriceBook})
 */
@ConfigurationProperties("quotes")
public record QuotesProperties(RateLimit rateLimit, Refresh refresh, Map<String, BigDecimal> initialPrices,
        Duration lockTimeout) {

    /**
     * Checks the settings at startup, naming the property to fix.
     */
    public QuotesProperties {
        require(rateLimit != null, "quotes.rate-limit.max-quotes and quotes.rate-limit.window must be set");
        require(refresh != null, "quotes.refresh.interval and quotes.refresh.fetch-time must be set");
        require(initialPrices != null && !initialPrices.isEmpty(),
                "quotes.initial-prices must give at least one price, such as quotes.initial-prices.ACME=101.25");
        require(lockTimeout != null && !lockTimeout.isNegative(),
                "quotes.lock-timeout must be zero or more, such as 5s, not " + lockTimeout);
    }

    /**
     * At most {@code maxQuotes} quotes per {@code window} on the whole host, every instance counted.
     *
     * @param maxQuotes how many quotes a window admits
     * @param window the length of a window, such as {@code 1s}
     */
    public record RateLimit(int maxQuotes, Duration window) {

        /**
         * Checks the limit.
         */
        public RateLimit {
            require(maxQuotes > 0, "quotes.rate-limit.max-quotes must be positive, not " + maxQuotes);
            require(window != null && window.toMillis() > 0,
                    "quotes.rate-limit.window must be at least 1ms, such as 1s, not " + window);
        }
    }

    /**
     * The scheduled refresh of the price table from the upstream feed.
     *
     * @param interval how often the host's prices are refreshed, whichever instance does it
     * @param fetchTime how long the simulated upstream feed takes to answer
     */
    public record Refresh(Duration interval, Duration fetchTime) {

        /**
         * Checks the durations.
         */
        public Refresh {
            require(interval != null && interval.toMillis() > 0,
                    "quotes.refresh.interval must be at least 1ms, such as 10s, not " + interval);
            require(fetchTime != null && !fetchTime.isNegative(),
                    "quotes.refresh.fetch-time must be zero or more, such as 1s, not " + fetchTime);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
