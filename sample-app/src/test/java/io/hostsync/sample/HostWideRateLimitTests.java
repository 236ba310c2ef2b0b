package io.hostsync.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import io.hostsync.sample.SampleInstances.SampleProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample in two JVMs share one rate limit: the host's, not each instance's.
 */
class HostWideRateLimitTests {

    private static final String[] LIMIT = { "quotes.rate-limit.max-quotes=10", "quotes.rate-limit.window=1h" };

    @TempDir
    Path directory;

    @Test
    void twoInstancesAdmitTheHostsLimitBetweenThemAndRejectTheRestWithRetryAfter() {
        try (ConfigurableApplicationContext here = SampleInstances.startHere(this.directory, LIMIT);
                SampleProcess there = SampleInstances.startProcess(this.directory, LIMIT)) {
            int[] ports = { SampleInstances.port(here), there.port() };
            long window = currentHour();
            int admitted = 0;
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = Http.get(ports[i % 2], "/quotes/ACME");
                if (response.statusCode() == 200) {
                    admitted++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                            (seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3600L));
                }
            }

            if (currentHour() == window) {
                assertThat(admitted).as("quotes admitted by both instances together").isEqualTo(10);
            } else { // the hour turned during the loop: a second window admitted up to 10 more
                assertThat(admitted).isBetween(10, 20);
            }
            for (int port : ports) {
                DocumentContext status = Http.json(port, "/api/status");
                assertThat(status.read("$.quotes.admitted", Long.class)).isEqualTo(admitted);
                assertThat(status.read("$.quotes.rejected", Long.class)).isEqualTo(30 - admitted);
            }
        }
    }

    private static long currentHour() {
        return System.currentTimeMillis() / Duration.ofHours(1).toMillis();
    }
}
