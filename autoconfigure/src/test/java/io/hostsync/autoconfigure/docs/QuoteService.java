package io.hostsync.autoconfigure.docs;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The cached service of docs/caching.md, tested by
 * {@code io.hostsync.autoconfigure.cache.HostsyncCacheAutoConfigurationTests}.
 */
// tag::quote-service[]
@Service
public class QuoteService {

    private final AtomicInteger loads = new AtomicInteger(); // how often the slow source was asked

    @Cacheable(cacheNames = "quotes", sync = true) // one instance of the host loads, the others wait
    public BigDecimal quote(String symbol) {
        loads.incrementAndGet();
        return BigDecimal.valueOf(symbol.length() * 10L + 0.25); // a slow source, in real life
    }

    @CacheEvict(cacheNames = "quotes") // gone for every instance
    public void forget(String symbol) {
    }

    public int loads() {
        return loads.get();
    }
}
// end::quote-service[]
