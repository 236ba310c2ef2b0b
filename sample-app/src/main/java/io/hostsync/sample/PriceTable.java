package io.hostsync.sample;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The price table every instance on the host quotes from, stored once in the region as JSON.
 *
 * @param version 1 for the first table on the host, then one more at every publication
 * @param published when it was published
 * @param publishedBy the instance that published it, such as {@code :8081 (pid 4242)}
 * @param reason why, such as {@code PUT /prices} or {@code scheduled refresh}
 * @param prices the prices, by symbol
 */
public record PriceTable(long version, Instant published, String publishedBy, String reason,
        Map<String, BigDecimal> prices) {
}
