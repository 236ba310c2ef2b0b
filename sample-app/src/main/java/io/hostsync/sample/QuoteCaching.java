package io.hostsync.sample;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * Quotes are cached host-wide: {@code hostsync.cache.caches.quotes} in application.yml puts the
 * cache in the region {@code sample}, so a quote priced by one instance is a hit on every other,
 * one instance prices a quote that several ask for at once ({@code sync = true}), and publishing
 * prices clears the cache for all of them ({@link PriceBook#publish}).
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class QuoteCaching {

    /** The cache of quotes, by symbol and quantity. */
    public static final String CACHE = "quotes";
}
