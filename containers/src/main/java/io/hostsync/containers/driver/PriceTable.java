package io.hostsync.containers.driver;

import java.util.Map;

/**
 * A typed snapshot that one container replaces and every container reads: the shared value of
 * the tests, encoded as JSON with the application's Jackson mapper.
 *
 * @param revision the revision of the table
 * @param prices prices by item, in cents
 * @param writtenBy the host name of the container that wrote it
 */
public record PriceTable(long revision, Map<String, Long> prices, String writtenBy) {
}
