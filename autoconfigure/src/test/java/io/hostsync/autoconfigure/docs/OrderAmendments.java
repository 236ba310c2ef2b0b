package io.hostsync.autoconfigure.docs;

import java.util.Optional;

import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.stereotype.Service;

/**
 * A lock per entity, in docs/annotations.md: each order's amendments exclude each other on the
 * whole host, while different orders go ahead at once. Tested by {@link AnnotationExamplesTests}.
 */
// tag::keyed-guard[]
@Service
public class OrderAmendments {

    public record Order(long id, String customer) {
    }

    @WriteGuarded(lock = "orders", key = "#order.id", timeout = "2s", onTimeout = OnTimeout.SKIP)
    public Optional<String> amend(Order order, String change) {
        // one thread in one process on the host amends this order at a time
        return Optional.of("order " + order.id() + ": " + change);
    }
}
// end::keyed-guard[]
