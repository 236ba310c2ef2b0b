package io.hostsync.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * The upstream source of prices. This one is simulated: it takes {@code quotes.refresh.fetch-time}
 * to answer, like a remote pricing service, and moves every price by up to 1%. Replace it with a
 * client of your own pricing service.
 */
@Component
public class PriceFeed {

    private final Duration fetchTime;

    /**
     * Creates the feed.
     *
     * @param properties the simulated fetch time
     */
    public PriceFeed(QuotesProperties properties) {
        this.fetchTime = properties.refresh().fetchTime();
    }

    /**
     * Fetches the latest prices.
     *
     * @param current the prices now, by symbol
     * @return the latest prices, by symbol
     * @throws InterruptedException if interrupted while waiting for the feed
     */
    public Map<String, BigDecimal> fetch(Map<String, BigDecimal> current) throws InterruptedException {
        Thread.sleep(this.fetchTime.toMillis());
        Map<String, BigDecimal> latest = new TreeMap<>();
        current.forEach((symbol, price) -> latest.put(symbol, move(price)));
        return latest;
    }

    private static BigDecimal move(BigDecimal price) {
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-0.01, 0.01);
        return price.multiply(BigDecimal.valueOf(factor)).setScale(2, RoundingMode.HALF_EVEN);
    }
}
