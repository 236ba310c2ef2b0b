package io.hostsync.sample;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
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
import static org.awaitility.Awaitility.await;

/**
 * The quote service of one instance over real HTTP: quotes, publishing prices under the host-wide
 * write lock, the status JSON and the actuator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "quotes.rate-limit.max-quotes=1000000",
        "quotes.refresh.interval=1h" })
@DirtiesContext // closes the region before the temporary directory is deleted
class QuoteServiceTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;

    @LocalServerPort
    int port;

    @Autowired
    SharedRegion region;

    @Autowired
    PriceBook priceBook;

    @DynamicPropertySource
    static void regionInTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("hostsync.directory", directory::toString);
    }

    @Test
    void aQuoteIsPricedFromTheSharedPriceTable() {
        PriceTable table = this.priceBook.current();

        DocumentContext quote = Http.json(this.port, "/quotes/ACME?quantity=3");

        BigDecimal price = table.prices().get("ACME");
        assertThat(quote.read("$.price", BigDecimal.class)).isEqualByComparingTo(price);
        assertThat(quote.read("$.total", BigDecimal.class)).isEqualByComparingTo(price.multiply(BigDecimal.valueOf(3)));
        assertThat(quote.read("$.priceTableVersion", Long.class)).isEqualTo(table.version());
    }

    @Test
    void anUnknownSymbolIsNotFoundAndTheAnswerNamesTheKnownOnes() {
        HttpResponse<String> response = Http.get(this.port, "/quotes/NOSUCH");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JsonPath.parse(response.body()).read("$.detail", String.class))
                .startsWith("No price for 'NOSUCH'. Known symbols: ")
                .contains("ACME");
    }

    @Test
    void aQuantityBelowOneIsABadRequest() {
        HttpResponse<String> response = Http.get(this.port, "/quotes/ACME?quantity=0");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(response.body()).read("$.detail", String.class))
                .isEqualTo("quantity must be at least 1, not 0");
    }

    @Test
    void publishedPricesReplaceTheTableWithTheNextVersion() {
        long before = this.priceBook.current().version();

        HttpResponse<String> response = Http.put(this.port, "/prices", "{\"ACME\": 99.50, \"NEWCO\": 10}");

        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext published = JsonPath.parse(response.body());
        assertThat(published.read("$.version", Long.class)).isEqualTo(before + 1);
        assertThat(published.read("$.reason", String.class)).isEqualTo("PUT /prices");
        assertThat(published.read("$.publishedBy", String.class)).isEqualTo(":" + this.port + " (pid "
                + ProcessHandle.current().pid() + ")");
        assertThat(Http.json(this.port, "/quotes/NEWCO").read("$.price", BigDecimal.class))
                .isEqualByComparingTo("10");
    }

    @Test
    void aPriceTableWithoutPositivePricesIsRefused() {
        long before = this.priceBook.current().version();

        HttpResponse<String> response = Http.put(this.port, "/prices", "{\"ACME\": -1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(response.body()).read("$.detail", String.class))
                .startsWith("A price table maps symbols to positive prices");
        assertThat(this.priceBook.current().version()).isEqualTo(before);
    }

    @Test
    void publishingWaitsForTheQuotesInFlight() throws Exception {
        RWLock prices = this.region.lock(PriceBook.LOCK);
        long before = this.priceBook.current().version();
        CompletableFuture<HttpResponse<String>> publication;
        prices.readLock().lock(); // a quote in flight
        try {
            publication = Http.putAsync(this.port, "/prices", "{\"ACME\": 111.11}");
            // The publication owns the write lock and waits for the readers to leave.
            await().atMost(WAIT).until(() -> prices.hostStatistics().writerSlot() == this.region.slot());
            assertThat(publication).as("the publication waits for the quote").isNotDone();
            assertThat(this.priceBook.current().version()).as("the table is not replaced yet").isEqualTo(before);
        } finally {
            prices.readLock().unlock();
        }
        HttpResponse<String> response = publication.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.priceBook.current().version()).isEqualTo(before + 1);
    }

    @Test
    void aQuoteArrivingDuringAPublicationWaitsForItAndUsesTheNewPrices() throws Exception {
        RWLock prices = this.region.lock(PriceBook.LOCK);
        CompletableFuture<HttpResponse<String>> quote;
        PriceTable published;
        prices.writeLock().lock(); // a publication under way
        try {
            quote = Http.getAsync(this.port, "/quotes/ACME");
            await().atMost(WAIT).until(() -> prices.hostStatistics().waitingReaders() == 1);
            assertThat(quote).as("the quote waits for the publication").isNotDone();
            published = this.priceBook.publish(Map.of("ACME", new BigDecimal("123.45")), "test");
        } finally {
            prices.writeLock().unlock();
        }
        HttpResponse<String> response = quote.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.read("$.price", BigDecimal.class)).isEqualByComparingTo("123.45");
        assertThat(body.read("$.priceTableVersion", Long.class)).isEqualTo(published.version());
    }

    @Test
    void statusDescribesThisInstanceThePricesAndTheHostsCounters() {
        Http.json(this.port, "/quotes/ACME");

        DocumentContext status = Http.json(this.port, "/api/status");

        assertThat(status.read("$.self.port", Integer.class)).isEqualTo(this.port);
        assertThat(status.read("$.self.slot", Integer.class)).isEqualTo(this.region.slot());
        assertThat(status.read("$.self.pid", Long.class)).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.read("$.instances[*].port", Integer[].class)).containsExactly(this.port);
        assertThat(status.read("$.prices.version", Long.class)).isEqualTo(this.priceBook.current().version());
        assertThat(status.read("$.quotes.admitted", Long.class)).isPositive();
        assertThat(status.read("$.quotes.maxQuotes", Integer.class)).isEqualTo(1000000);
        assertThat(status.read("$.quotes.windowMillis", Long.class)).isEqualTo(1000);
        assertThat(status.read("$.refreshIntervalMillis", Long.class)).isEqualTo(3600000);
    }

    @Test
    void theActuatorExposesHostsyncHealthAndPrometheus() {
        Http.json(this.port, "/quotes/ACME");

        DocumentContext hostsync = Http.json(this.port, "/actuator/hostsync/sample");
        assertThat(hostsync.read("$.locks", Map.class)).containsKeys(PriceBook.LOCK, PriceRefreshJob.LOCK);
        assertThat(Http.json(this.port, "/actuator/health/hostsync").read("$.status", String.class)).isEqualTo("UP");
        String prometheus = Http.get(this.port, "/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("hostsync_lock_acquire_seconds_count{lock=\"prices\",region=\"sample\",scope=\"host\"}")
                .contains("hostsync_region_participants{region=\"sample\"} 1")
                .contains(
                        "hostsync_lock_hold_seconds_bucket{lock=\"prices\",mode=\"read\",region=\"sample\",le=\"+Inf\"}");
    }

    @Test
    void withoutTheCohortProfileNothingNeedsRedis() {
        DocumentContext health = Http.json(this.port, "/actuator/health");
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components", Map.class)).doesNotContainKeys("redis", "hostsyncCohort");
        assertThat(Http.json(this.port, "/api/status").read("$.cluster", Object.class)).isNull();
        assertThat(Http.post(this.port, "/cluster/counter").statusCode()).isEqualTo(404);
    }
}
