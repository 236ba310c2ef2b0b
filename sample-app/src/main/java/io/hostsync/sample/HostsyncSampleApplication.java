package io.hostsync.sample;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A quote service meant to run as several instances on one host, all sharing the hostsync region
 * {@code sample}:
 * <ul>
 * <li>a price table ({@link PriceBook}) that every quote reads under the host-wide read lock and
 * that {@code PUT /prices} replaces under the write lock;</li>
 * <li>a rate limit for the whole host ({@link QuoteRateLimiter}) on one shared counter;</li>
 * <li>a scheduled price refresh ({@link PriceRefreshJob}) that one instance at a time runs while
 * the others skip;</li>
 * <li>a status page at {@code /} that shows the instances, who holds and who waits for each lock,
 * recoveries and counters, live; and the actuator's {@code hostsync}, {@code health} and
 * {@code prometheus} endpoints.</li>
 * </ul>
 * Start it several times with different {@code --server.port} values; {@code scripts/run-three.sh}
 * starts three.
 */
@SpringBootApplication
@EnableScheduling
// Stored as JSON through JsonCodecs, which Jackson reads and writes reflectively: kept in a native image.
@RegisterReflectionForBinding({ PriceTable.class, Instances.Instance.class })
@ConfigurationPropertiesScan
public class HostsyncSampleApplication {

    /**
     * Starts the application.
     *
     * @param args command line arguments, such as {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(HostsyncSampleApplication.class, args);
    }
}
