package io.hostsync.autoconfigure.docs.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of docs/getting-started.md: nothing but Spring Boot, the starter and the
 * actuator; hostsync comes from application.yml. Alone in its package, so that it scans no other
 * test configuration. Started by {@code ConfigurationExamplesTests}.
 */
// tag::application[]
@SpringBootApplication
public class GettingStartedApplication {

    public static void main(String[] args) {
        SpringApplication.run(GettingStartedApplication.class, args);
    }
}
// end::application[]
