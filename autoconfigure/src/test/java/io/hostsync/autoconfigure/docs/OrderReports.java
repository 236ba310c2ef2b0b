package io.hostsync.autoconfigure.docs;

import io.hostsync.RWLock;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The injection of several regions' beans in docs/getting-started.md. Tested by
 * {@link AnnotationExamplesTests}.
 */
// tag::qualifiers[]
@Service
public class OrderReports {

    private final SharedCounter printed;

    private final RWLock orders;

    public OrderReports(@Qualifier("reports") SharedState reports, @Qualifier("orders") RWLock orders) {
        this.printed = reports.counter("printed"); // in region "reports"
        this.orders = orders; // the default lock of region "orders"
    }

    public long print() {
        this.orders.readLock().lock();
        try {
            return this.printed.incrementAndGet();
        } finally {
            this.orders.readLock().unlock();
        }
    }
}
// end::qualifiers[]
