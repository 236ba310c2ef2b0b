package io.hostsync.autoconfigure.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.HostsyncProperties.CacheSettings;
import io.hostsync.state.Codec;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCache;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of a {@link HostsyncCacheManager}: when the application enables caching
 * ({@code @EnableCaching}), sets {@code hostsync.cache.enabled=true} and defines no
 * {@link CacheManager} of its own, the caches under {@code hostsync.cache.caches} are shared by
 * every JVM on the host. Ordered before Spring Boot's cache auto-configuration, which then backs
 * off, while Boot's cache metrics and {@code caches} actuator endpoint use this manager; with
 * Micrometer, a {@link HostsyncCacheMeterBinderProvider} gives them the standard cache meters.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class, beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass({ CacheManager.class, SharedRegion.class })
@ConditionalOnBean(type = "org.springframework.cache.interceptor.CacheAspectSupport")
@ConditionalOnBooleanProperty(HostsyncProperties.PREFIX + ".cache.enabled")
@Import(HostsyncCacheAutoConfiguration.CacheMeterBinderProviderConfiguration.class)
public final class HostsyncCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    HostsyncCacheManager cacheManager(HostsyncProperties properties, BeanFactory beanFactory) {
        ClassLoader classLoader = HostsyncCacheAutoConfiguration.class.getClassLoader();
        List<HostsyncCache> caches = new ArrayList<>();
        for (Map.Entry<String, CacheSettings> entry : properties.getCache().getCaches().entrySet()) {
            String name = entry.getKey();
            CacheSettings settings = entry.getValue();
            SharedRegion region = region(beanFactory, name, settings.getRegion());
            MapCapacity capacity = capacity(name, settings);
            SharedCache<String, Object> shared = region.state().cache(entryName(name), new StringCodec(),
                    codec(beanFactory, name, settings.getCodec(), classLoader), capacity);
            caches.add(new HostsyncCache(name, shared, region, settings.getTimeToLive(),
                    properties.getCache().isAllowNullValues()));
        }
        return new HostsyncCacheManager(caches);
    }

    /**
     * The name of the region entry that holds a cache.
     *
     * @param cacheName the cache's name
     * @return {@code cache.<cacheName>}
     */
    public static String entryName(String cacheName) {
        return "cache." + cacheName;
    }

    private static SharedRegion region(BeanFactory beanFactory, String cacheName, @Nullable String regionName) {
        if (regionName == null || regionName.isEmpty()) {
            return beanFactory.getBean(SharedRegion.class);
        }
        try {
            return beanFactory.getBean(HostsyncAutoConfiguration.regionBeanName(regionName), SharedRegion.class);
        } catch (NoSuchBeanDefinitionException ex) {
            throw new IllegalStateException("Cache '" + cacheName + "' names region '" + regionName + "', which is not"
                    + " configured. Configure hostsync.regions." + regionName + ", or name a configured region in"
                    + " hostsync.cache.caches." + cacheName + ".region.", ex);
        }
    }

    private static MapCapacity capacity(String cacheName, CacheSettings settings) {
        long bytes = settings.getEntrySize().toBytes();
        try {
            return MapCapacity.of(settings.getEntries(), (int) Math.min(Integer.MAX_VALUE,
                    Math.max(0, bytes) + SharedCache.VALUE_HEADER));
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("Cache '" + cacheName + "' has an impossible capacity: " + ex.getMessage()
                    + ". Fix hostsync.cache.caches." + cacheName + ".entries or .entry-size.", ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static Codec<Object> codec(BeanFactory beanFactory, String cacheName, String codec,
            ClassLoader classLoader) {
        if (codec == null || codec.isEmpty() || codec.equals("java")) {
            return new JavaSerializationCodec(cacheName, classLoader);
        }
        try {
            return beanFactory.getBean(codec, Codec.class);
        } catch (NoSuchBeanDefinitionException ex) {
            throw new IllegalStateException("Cache '" + cacheName + "' names codec '" + codec + "', which is neither"
                    + " \"java\" nor a bean of type io.hostsync.state.Codec. Define the bean, or set"
                    + " hostsync.cache.caches." + cacheName + ".codec to java.", ex);
        }
    }

    /** Cache keys, already strings, as UTF-8. */
    static final class StringCodec implements Codec<String> {

        @Override
        public byte[] encode(String value) {
            return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ MeterBinder.class, CacheMeterBinderProvider.class })
    static class CacheMeterBinderProviderConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HostsyncCacheMeterBinderProvider hostsyncCacheMeterBinderProvider() {
            return new HostsyncCacheMeterBinderProvider();
        }
    }
}
