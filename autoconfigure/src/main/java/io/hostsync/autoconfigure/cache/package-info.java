/**
 * A Spring {@link org.springframework.cache.CacheManager} whose caches are shared by every JVM on
 * the host, with its auto-configuration and cache meters.
 */
@NullMarked
package io.hostsync.autoconfigure.cache;

import org.jspecify.annotations.NullMarked;
