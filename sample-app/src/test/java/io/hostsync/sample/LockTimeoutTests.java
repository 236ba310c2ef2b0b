package io.hostsync.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.jayway.jsonpath.JsonPath;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quote or a publication that cannot get the prices lock within {@code quotes.lock-timeout}
 * answers 503, saying which lock and which setting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "quotes.lock-timeout=100ms",
        "quotes.refresh.interval=1h" })
@DirtiesContext // closes the region before the temporary directory is deleted
class LockTimeoutTests {

    @TempDir
    static Path directory;

    @LocalServerPort
    int port;

    @Autowired
    SharedRegion region;

    @DynamicPropertySource
    static void regionInTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("hostsync.directory", directory::toString);
    }

    @Test
    void aQuoteThatCannotReadThePricesInTimeIsServiceUnavailable() {
        RWLock prices = this.region.lock(PriceBook.LOCK);
        HttpResponse<String> response;
        prices.writeLock().lock(); // a publication that takes too long
        try {
            response = Http.get(this.port, "/quotes/ACME");
        } finally {
            prices.writeLock().unlock();
        }

        assertServiceUnavailable(response, "the read lock of lock 'prices'");
    }

    @Test
    void aPublicationThatCannotWriteThePricesInTimeIsServiceUnavailable() {
        RWLock prices = this.region.lock(PriceBook.LOCK);
        HttpResponse<String> response;
        prices.readLock().lock(); // a quote that takes too long
        try {
            response = Http.put(this.port, "/prices", "{\"ACME\": 100}");
        } finally {
            prices.readLock().unlock();
        }

        assertServiceUnavailable(response, "the write lock of lock 'prices'");
    }

    private static void assertServiceUnavailable(HttpResponse<String> response, String lock) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(JsonPath.parse(response.body()).read("$.detail", String.class))
                .startsWith("Timed out after 100ms waiting for " + lock + " in region 'sample'")
                .contains("hostsync.regions.sample.acquire-timeout");
    }
}
