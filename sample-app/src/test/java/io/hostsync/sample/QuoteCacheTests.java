package io.hostsync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Quotes cached host-wide, between two instances in two JVMs: a quote priced by one is a hit on the
 * other, and publishing prices on one clears the quotes cached by both.
 */
class QuoteCacheTests {

    private static final String[] SETTINGS = { "quotes.rate-limit.max-quotes=1000000", "quotes.refresh.interval=1h" };

    @TempDir
    Path directory;

    @Test
    void aQuotePricedByOneInstanceIsACacheHitOnAnother() {
        try (SampleInstances.SampleProcess there = SampleInstances.startProcess(this.directory, SETTINGS);
                ConfigurableApplicationContext here = SampleInstances.startHere(this.directory, SETTINGS)) {
            BigDecimal priced = Http.json(there.port(), "/quotes/ACME?quantity=7").read("$.total", BigDecimal.class);

            BigDecimal cached = Http.json(SampleInstances.port(here), "/quotes/ACME?quantity=7")
                    .read("$.total", BigDecimal.class);

            assertThat(cached).isEqualByComparingTo(priced);
            MeterRegistry registry = here.getBean(MeterRegistry.class);
            assertThat(registry.get("cache.gets").tags("cache", "quotes", "result", "hit").functionCounter().count())
                    .as("priced by the other instance, a hit here")
                    .isEqualTo(1.0);
            assertThat(registry.get("cache.gets").tags("cache", "quotes", "result", "miss").functionCounter().count())
                    .isZero();
        }
    }

    @Test
    void publishingPricesOnOneInstanceClearsTheQuotesCachedForAll() {
        try (SampleInstances.SampleProcess there = SampleInstances.startProcess(this.directory, SETTINGS);
                ConfigurableApplicationContext here = SampleInstances.startHere(this.directory, SETTINGS)) {
            Http.json(there.port(), "/quotes/ACME?quantity=2");

            assertThat(Http.put(SampleInstances.port(here), "/prices", "{\"ACME\": 50.00}").statusCode())
                    .isEqualTo(200);

            assertThat(Http.json(there.port(), "/quotes/ACME?quantity=2").read("$.total", BigDecimal.class))
                    .as("the other instance prices from the new table, not from its cached quote")
                    .isEqualByComparingTo("100.00");
        }
    }
}
