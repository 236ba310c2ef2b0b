package io.hostsync.autoconfigure.docs;

// A shared value written with the application's Jackson mapper, in docs/shared-state.md with its
// imports. Tested by AnnotationExamplesTests.
// tag::json-codecs[]
import io.hostsync.autoconfigure.json.JsonCodecs;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;

import org.springframework.stereotype.Service;

@Service
public class PriceTable {

    private final SharedValue<Prices> prices;

    public PriceTable(SharedState state, JsonCodecs json) {
        this.prices = state.value("prices", json.of(Prices.class), 64 * 1024); // the application's JsonMapper
    }

    public Long price(String item) {
        Prices current = this.prices.get(); // no lock: never torn
        return (current != null) ? current.cents().get(item) : null;
    }

    public void replace(Prices prices) {
        this.prices.set(prices);
    }
}
// end::json-codecs[]
