package io.hostsync.sample;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The answer to {@code GET /quotes/{symbol}}.
 *
 * @param symbol the symbol quoted
 * @param quantity how many units
 * @param price the price of one unit
 * @param total the price of them all
 * @param priceTableVersion the version of the price table it was priced from
 */
public record Quote(String symbol, int quantity, BigDecimal price, BigDecimal total, long priceTableVersion)
        implements
            Serializable { // cached host-wide with Java serialization (QuoteCaching)
}
