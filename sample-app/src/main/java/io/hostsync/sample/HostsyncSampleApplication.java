package io.hostsync.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that opens the hostsync region {@code sample} through the starter and shows,
 * at {@code GET /participants}, every process on the host that has it open. Start it twice, the
 * second time with {@code --server.port=8081}, and each instance lists both.
 */
@SpringBootApplication
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
