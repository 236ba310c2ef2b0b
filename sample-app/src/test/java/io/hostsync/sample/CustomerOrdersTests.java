package io.hostsync.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.hostsync.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders against each customer's credit, one placement per customer at a time on the host (a
 * keyed lock per customer): however many placements race, a customer's accepted orders never
 * exceed the limit, and many customers pass through the region's few lock records.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "quotes.rate-limit.max-quotes=1000000",
        "quotes.refresh.interval=1h" })
@DirtiesContext // closes the region before the temporary directory is deleted
class CustomerOrdersTests {

    @TempDir
    static Path directory;

    @Autowired
    CustomerOrders orders;

    @Autowired
    PriceBook priceBook;

    @Autowired
    SharedRegion region;

    @DynamicPropertySource
    static void regionInTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("hostsync.directory", directory::toString);
    }

    @Test
    void racingOrdersOfOneCustomerNeverExceedItsCredit() throws Exception {
        BigDecimal price = this.priceBook.current().prices().get("HOOLI");
        int quantity = CustomerOrders.CREDIT_LIMIT.divide(price, java.math.RoundingMode.DOWN).intValue() / 3 + 1;
        List<Future<CustomerOrders.Order>> placed = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int order = 0; order < 12; order++) {
                placed.add(threads.submit(() -> this.orders.place("cust-race", "HOOLI", quantity)));
            }
            BigDecimal accepted = BigDecimal.ZERO;
            for (Future<CustomerOrders.Order> order : placed) {
                CustomerOrders.Order result = order.get(30, TimeUnit.SECONDS);
                if (result.accepted()) {
                    accepted = accepted.add(result.quote().total());
                }
            }
            assertThat(accepted).isEqualByComparingTo(this.orders.creditUsed("cust-race"));
            assertThat(accepted).isLessThanOrEqualTo(CustomerOrders.CREDIT_LIMIT);
            assertThat(accepted).as("two orders fit, a third does not")
                    .isEqualByComparingTo(price.multiply(BigDecimal.valueOf(2L * quantity)));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void manyCustomersPassThroughTheRegionsFewLockRecords() {
        for (int customer = 0; customer < 200; customer++) {
            assertThat(this.orders.place("cust-" + customer, "ACME", 1).accepted()).isTrue();
        }
        assertThat(this.region.lockNames()).doesNotContain(CustomerOrders.LOCKS);
    }
}
