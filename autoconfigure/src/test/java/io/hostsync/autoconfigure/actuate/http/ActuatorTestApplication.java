package io.hostsync.autoconfigure.actuate.http;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application with hostsync, actuator and Prometheus, as a user would write it, for
 * {@link ActuatorHttpTests}. Alone in its package, so that it scans no other test configuration.
 */
@SpringBootApplication
public class ActuatorTestApplication {

}
