package io.hostsync.sample;

import java.time.Duration;

import io.hostsync.state.SharedCounter;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;

import org.springframework.stereotype.Component;

/**
 * A rate limit for the whole host: at most {@code quotes.rate-limit.max-quotes} quotes per
 * {@code quotes.rate-limit.window}, however many instances serve them.
 *
 * <p>One shared counter holds the current window's number (high 32 bits) and the quotes it has
 * admitted (low 32 bits), so a compare-and-set moves both at once: no lock, and no moment where
 * a new window has begun but its count is stale. Windows are fixed, as in most rate limiters: a
 * burst straddling two windows may see up to twice the limit within one window's length. Every
 * instance reads the same clock, containers included, since they share the host's kernel.
 */
@Component
public class QuoteRateLimiter {

    private static final long LOW_32_BITS = 0xFFFF_FFFFL;

    private final SharedCounter window;

    private final SharedCounter admitted;

    private final SharedCounter rejected;

    private final int maxQuotes;

    private final long windowMillis;

    /**
     * Creates the limiter over the region's counters.
     *
     * @param region the sample's region
     * @param properties the limit
     */
    public QuoteRateLimiter(SharedRegion region, QuotesProperties properties) {
        SharedState state = region.state();
        this.window = state.counter("quotes.window");
        this.admitted = state.counter("quotes.admitted");
        this.rejected = state.counter("quotes.rejected");
        this.maxQuotes = properties.rateLimit().maxQuotes();
        this.windowMillis = properties.rateLimit().window().toMillis();
    }

    /**
     * Admits one quote if the host's current window has room for it.
     *
     * @return whether the quote may be served
     */
    public boolean tryAcquire() {
        long current = (System.currentTimeMillis() / this.windowMillis) & LOW_32_BITS;
        while (true) {
            long seen = this.window.get();
            long admittedInWindow = ((seen >>> 32) == current) ? (seen & LOW_32_BITS) : 0;
            if (admittedInWindow >= this.maxQuotes) {
                this.rejected.incrementAndGet();
                return false;
            }
            if (this.window.compareAndSet(seen, (current << 32) | (admittedInWindow + 1))) {
                this.admitted.incrementAndGet();
                return true;
            }
        }
    }

    /**
     * How long a rejected caller should wait before trying again: the rest of the current window.
     *
     * @return at least one second, as HTTP's Retry-After counts whole seconds
     */
    public Duration retryAfter() {
        long remaining = this.windowMillis - System.currentTimeMillis() % this.windowMillis;
        return Duration.ofSeconds(Math.max(1, (remaining + 999) / 1000));
    }

    /**
     * Returns the quotes admitted on the host since the region was created.
     *
     * @return the count, every instance included
     */
    public long admitted() {
        return this.admitted.get();
    }

    /**
     * Returns the quotes rejected on the host since the region was created.
     *
     * @return the count, every instance included
     */
    public long rejected() {
        return this.rejected.get();
    }
}
