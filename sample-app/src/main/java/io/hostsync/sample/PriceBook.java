package io.hostsync.sample;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedValue;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.json.JsonCodecs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * The host's price table: one {@link SharedValue} in the region, read by every quote of every
 * instance and replaced by whichever instance publishes new prices.
 *
 * <p>A shared value is never torn on its own: a reader sees the old table or the new one. The
 * host-wide read-write lock {@value #LOCK} adds what a value cannot: quotes hold the read lock, so
 * a publication waits for the quotes in flight on every instance, and quotes that arrive during a
 * publication wait for it. When {@link #publish} returns, no instance on the host is still pricing
 * from the old table. The write lock also makes the version a plain read-then-write: one
 * publication at a time on the host, so versions are never repeated.
 */
@Service
public class PriceBook {

    /** The lock that quotes read and publications write. */
    public static final String LOCK = "prices";

    private static final Log logger = LogFactory.getLog(PriceBook.class);

    private final SharedValue<PriceTable> table;

    private final RWLock lock;

    private final Instances instances;

    /**
     * Opens the price table, and seeds it if this is the first instance on the host.
     *
     * @param region the sample's region
     * @param codecs JSON through the application's Jackson mapper
     * @param instances this instance's name, for the tables it publishes
     * @param properties the initial prices
     */
    public PriceBook(SharedRegion region, JsonCodecs codecs, Instances instances, QuotesProperties properties) {
        this.table = region.state().value("prices", codecs.of(PriceTable.class), 64 * 1024);
        this.lock = region.lock(LOCK);
        this.instances = instances;
        // Only the first instance seeds: a compare-and-set from "never set", so no reader can be pricing yet.
        this.table.compareAndSet(null, new PriceTable(1, Instant.now(), instances.describeSelf(), "initial prices",
                new TreeMap<>(properties.initialPrices())));
    }

    /**
     * Prices a quantity of a symbol, holding the read lock: many quotes on many instances at once,
     * none while prices are being published.
     *
     * @param symbol the symbol
     * @param quantity how many units, at least 1
     * @return the quote
     * @throws ResponseStatusException 404 for a symbol without a price
     * @throws io.hostsync.LockTimeoutException if a publication held the lock all of {@code quotes.lock-timeout}
     */
    @ReadGuarded(lock = LOCK, timeout = "${quotes.lock-timeout}")
    @Cacheable(cacheNames = QuoteCaching.CACHE, key = "#symbol + ':' + #quantity", sync = true)
    public Quote quote(String symbol, int quantity) {
        PriceTable current = this.table.get();
        BigDecimal price = current.prices().get(symbol);
        if (price == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "No price for '" + symbol + "'. Known symbols: " + String.join(", ", current.prices().keySet()));
        }
        return new Quote(symbol, quantity, price, price.multiply(BigDecimal.valueOf(quantity)), current.version());
    }

    /**
     * Replaces the price table for every instance on the host, holding the write lock.
     *
     * @param prices the new prices, by symbol
     * @param reason why, shown on the status page
     * @return the table published
     * @throws io.hostsync.LockTimeoutException if quotes or another publication held the lock all of
     *     {@code quotes.lock-timeout}
     */
    @WriteGuarded(lock = LOCK, timeout = "${quotes.lock-timeout}")
    @CacheEvict(cacheNames = QuoteCaching.CACHE, allEntries = true) // for every instance, before the write lock is released
    public PriceTable publish(Map<String, BigDecimal> prices, String reason) {
        acknowledgeIfTorn(this.lock);
        PriceTable published = new PriceTable(this.table.get().version() + 1, Instant.now(),
                this.instances.describeSelf(), reason, new TreeMap<>(prices));
        this.table.set(published);
        return published;
    }

    /**
     * Returns the current table without a lock, for showing it: a shared value is never torn.
     *
     * @return the current price table
     */
    public PriceTable current() {
        return this.table.get();
    }

    /**
     * Clears the mark a writer killed while holding {@code lock} left on it.
     *
     * <p>hostsync marks a lock possibly torn when its writer dies holding it, because the data it
     * guards may be half written, and the health contributor lists it as a host problem until a
     * writer says it is consistent. What this sample guards is written atomically (a shared value is never torn),
     * so there is nothing to repair: the next writer acknowledges. Data updated in several steps
     * would be checked or rebuilt here first.
     *
     * @param lock a lock whose write lock this thread holds
     */
    static void acknowledgeIfTorn(RWLock lock) {
        if (lock.isPossiblyTorn()) {
            logger.warn("A writer of lock '" + lock.name() + "' in region '" + lock.regionName() + "' died holding it;"
                    + " what it guards is written atomically, so it is consistent: marking the lock consistent");
            lock.markConsistent();
        }
    }
}
