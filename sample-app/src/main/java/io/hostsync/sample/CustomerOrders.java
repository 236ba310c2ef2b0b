package io.hostsync.sample;

import java.math.BigDecimal;

import io.hostsync.SharedRegion;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.json.JsonCodecs;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;

import org.springframework.stereotype.Service;

/**
 * Orders placed from quotes, against each customer's credit on the host: the credit a customer
 * has used is shared by every instance, and an order is accepted only if it fits the
 * customer's limit.
 *
 * <p>Checking the credit and adding the order are two steps around a quote, so two instances
 * placing orders for one customer at once could both pass the check. Each placement therefore
 * holds the write lock of that customer's keyed lock (family {@value #LOCKS}): one placement per
 * customer at a time on the whole host, while orders of other customers go ahead. There may be
 * any number of customers: a customer's lock takes one of the region's lock records only while
 * one of its orders is being placed.
 */
@Service
public class CustomerOrders {

    /** The family of keyed locks, one per customer. */
    public static final String LOCKS = "customers";

    /** The most a customer's accepted orders may total. */
    public static final BigDecimal CREDIT_LIMIT = new BigDecimal("10000");

    private final PriceBook priceBook;

    private final SharedMap<String, BigDecimal> creditUsed;

    /**
     * Opens the credit books.
     *
     * @param region the sample's region
     * @param codecs JSON through the application's Jackson mapper
     * @param priceBook the host's prices
     */
    public CustomerOrders(SharedRegion region, JsonCodecs codecs, PriceBook priceBook) {
        this.priceBook = priceBook;
        this.creditUsed = region.state().map("credit-used", Codecs.utf8(), codecs.of(BigDecimal.class),
                MapCapacity.of(4096, 64));
    }

    /**
     * Places an order at the current price if the customer's credit allows it.
     *
     * @param customer the customer's id
     * @param symbol the symbol
     * @param quantity how many units, at least 1
     * @return the order, accepted or refused
     * @throws io.hostsync.LockTimeoutException if another placement for this customer held its
     *     lock all of {@code quotes.lock-timeout}
     */
    @WriteGuarded(lock = LOCKS, key = "#customer", timeout = "${quotes.lock-timeout}")
    public Order place(String customer, String symbol, int quantity) {
        BigDecimal used = this.creditUsed.get(customer);
        used = (used != null) ? used : BigDecimal.ZERO;
        Quote quote = this.priceBook.quote(symbol, quantity);
        BigDecimal after = used.add(quote.total());
        if (after.compareTo(CREDIT_LIMIT) > 0) {
            return new Order(customer, quote, false, used);
        }
        this.creditUsed.put(customer, after);
        return new Order(customer, quote, true, after);
    }

    /**
     * Returns the credit a customer has used on the host.
     *
     * @param customer the customer's id
     * @return the total of its accepted orders
     */
    public BigDecimal creditUsed(String customer) {
        BigDecimal used = this.creditUsed.get(customer);
        return (used != null) ? used : BigDecimal.ZERO;
    }

    /**
     * An order placed from a quote.
     *
     * @param customer the customer's id
     * @param quote what was quoted
     * @param accepted whether it fitted the customer's credit
     * @param creditUsed the customer's credit used after it
     */
    public record Order(String customer, Quote quote, boolean accepted, BigDecimal creditUsed) {
    }
}
