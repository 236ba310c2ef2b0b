package io.hostsync.containers.driver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the container tests run in every container: the hostsync starter, the
 * actuator, and {@link DriverController}'s endpoints on loopback, which the tests call with
 * {@code curl} inside the container (the containers have no network).
 *
 * <p>It uses the one region configured for it (by the tests, through the environment of the
 * Compose file, such as {@code HOSTSYNC_REGIONS_ORDERS_SIZE=1MB}), its default lock and its
 * shared state, as any application with the starter would.
 */
@SpringBootApplication
public class DriverApplication {

    /**
     * Starts the application; a region that cannot be opened (or a backend that refuses to run
     * here) fails startup, and the JVM exits.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(DriverApplication.class, args);
    }
}
