package io.hostsync.autoconfigure.docs;

import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.ReadGuarded;

import org.springframework.stereotype.Service;

/**
 * The class-level annotation of docs/annotations.md, with methods that override it. Tested by
 * {@link AnnotationExamplesTests}.
 */
// tag::inventory[]
@Service
@ReadGuarded(lock = "inventory") // every public method reads under the lock "inventory"...
public class Inventory {

    private final SharedLongArray stock; // units per warehouse, for every instance on the host

    public Inventory(SharedState state) {
        this.stock = state.longArray("stock-by-warehouse", 4);
    }

    public long total() { // never sees a transfer half done
        long total = 0;
        for (long units : this.stock.toArray()) {
            total += units;
        }
        return total;
    }

    @InventoryChange // ...except those annotated on their own
    public void transfer(int from, int to, long units) {
        this.stock.addAndGet(from, -units);
        this.stock.addAndGet(to, units);
    }

    @InventoryChange(timeout = "10s")
    public void receive(int warehouse, long units) {
        this.stock.addAndGet(warehouse, units);
    }
}
// end::inventory[]
