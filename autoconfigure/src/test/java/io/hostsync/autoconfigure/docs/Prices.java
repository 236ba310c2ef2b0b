package io.hostsync.autoconfigure.docs;

import java.util.Map;

/**
 * A price table, stored as JSON by {@link PriceTable}.
 *
 * @param currency the currency
 * @param cents the price of each item, in cents
 */
public record Prices(String currency, Map<String, Long> cents) {
}
