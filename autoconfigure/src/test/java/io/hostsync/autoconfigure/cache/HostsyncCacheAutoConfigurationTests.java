package io.hostsync.autoconfigure.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import java.time.Duration;
import java.util.List;

import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncPropertyNames;
import io.hostsync.autoconfigure.docs.QuoteService;
import io.hostsync.state.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.env.YamlPropertySourceLoader;

/**
 * Tests for {@link HostsyncCacheAutoConfiguration}: when the host-wide cache manager is registered,
 * and what a wrong cache declaration says.
 */
class HostsyncCacheAutoConfigurationTests {

    private final String region = "cache-config-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                    HostsyncCacheAutoConfiguration.class, CacheAutoConfiguration.class));

    private ApplicationContextRunner withCaching() {
        return this.contextRunner.withUserConfiguration(CachingEnabled.class)
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".size=4MB",
                        "hostsync.cache.caches.quotes.entries=100");
    }

    @Test
    void whenEnabledWithCachingThenTheHostWideCacheManagerIsTheCacheManager() {
        withCaching().withPropertyValues("hostsync.cache.enabled=true").run((context) -> {
            assertThat(context).hasSingleBean(CacheManager.class).hasSingleBean(HostsyncCacheManager.class)
                    .hasSingleBean(CacheMeterBinderProvider.class);
            assertThat(context.getBean(CacheManager.class).getCacheNames()).containsExactly("quotes");
        });
    }

    @Test
    void whenNotEnabledThenSpringBootsCacheManagerIsUsed() {
        withCaching().run((context) -> assertThat(context).doesNotHaveBean(HostsyncCacheManager.class)
                .hasSingleBean(CacheManager.class));
    }

    @Test
    void whenCachingIsNotEnabledThenThereIsNoCacheManager() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".size=4MB",
                        "hostsync.cache.enabled=true")
                .run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
    }

    @Test
    void whenTheApplicationDefinesACacheManagerThenItIsKept() {
        withCaching().withUserConfiguration(OwnCacheManager.class)
                .withPropertyValues("hostsync.cache.enabled=true")
                .run((context) -> assertThat(context).doesNotHaveBean(HostsyncCacheManager.class)
                        .hasSingleBean(ConcurrentMapCacheManager.class));
    }

    @Test
    void whenMicrometerIsAbsentThenTheCacheManagerWorksWithoutMeters() {
        withCaching().withPropertyValues("hostsync.cache.enabled=true")
                .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run((context) -> assertThat(context).hasSingleBean(HostsyncCacheManager.class)
                        .doesNotHaveBean(HostsyncCacheMeterBinderProvider.class));
    }

    @Test
    void whenSpringBootCacheIsAbsentThenTheCacheManagerWorksWithoutBootsCacheMetrics() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                        HostsyncCacheAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
                .withUserConfiguration(CachingEnabled.class)
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".size=4MB",
                        "hostsync.cache.caches.quotes.entries=100", "hostsync.cache.enabled=true")
                .run((context) -> {
                    assertThat(context).hasSingleBean(HostsyncCacheManager.class)
                            .doesNotHaveBean(HostsyncCacheMeterBinderProvider.class);
                    context.getBean(CacheManager.class).getCache("quotes").put("IBM", "131.2");
                    assertThat(context.getBean(CacheManager.class).getCache("quotes").get("IBM", String.class))
                            .isEqualTo("131.2");
                });
    }

    @Test
    void aCodecBeanNamedByTheCacheEncodesItsValues() {
        withCaching().withUserConfiguration(Utf8CodecConfiguration.class)
                .withPropertyValues("hostsync.cache.enabled=true", "hostsync.cache.caches.quotes.codec=utf8Codec",
                        "hostsync.cache.allow-null-values=false")
                .run((context) -> {
                    HostsyncCache cache = (HostsyncCache) context.getBean(CacheManager.class).getCache("quotes");
                    cache.put("IBM", "131.2");
                    assertThat(cache.get("IBM", String.class)).isEqualTo("131.2");
                });
    }

    @Test
    void aCacheInARegionThatIsNotConfiguredFailsStartupNamingTheFix() {
        withCaching().withPropertyValues("hostsync.cache.enabled=true", "hostsync.cache.caches.quotes.region=nowhere")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("Cache 'quotes' names region 'nowhere', which is not configured"));
    }

    @Test
    void anImpossibleCapacityFailsStartupNamingTheProperty() {
        withCaching().withPropertyValues("hostsync.cache.enabled=true", "hostsync.cache.caches.quotes.entries=0")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("hostsync.cache.caches.quotes.entries"));
    }

    @Test
    void keysWhoseToStringIsObjectsAreRefusedWithTheFix() {
        withCaching().withPropertyValues("hostsync.cache.enabled=true").run((context) -> {
            HostsyncCache cache = (HostsyncCache) context.getBean(CacheManager.class).getCache("quotes");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.put(new Object(), "v"))
                    .hasMessageContaining("whose toString() is Object's");
            cache.put(42L, "forty-two");
            assertThat(cache.get(42L, String.class)).isEqualTo("forty-two");
            assertThat(cache.get("42")).as("a String key and a Long key are different keys").isNull();
        });
    }

    @Test
    void theConfigurationAndServiceOfTheCachingPageCacheQuotesHostWide() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("caching.yml",
                new ClassPathResource("io/hostsync/autoconfigure/docs/caching.yml"));
        this.contextRunner.withUserConfiguration(CachingEnabled.class, Utf8CodecConfiguration.class)
                .withBean(QuoteService.class)
                .withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(yaml.get(0)))
                .withPropertyValues("hostsync.directory=" + this.directory)
                .run((context) -> {
                    assertThat(HostsyncPropertyNames.bind(context.getEnvironment()).getCache().getCaches())
                            .containsOnlyKeys("quotes", "customers");
                    HostsyncCache quotes = (HostsyncCache) context.getBean(CacheManager.class).getCache("quotes");
                    assertThat(quotes.getTimeToLive()).isEqualTo(Duration.ofSeconds(30));
                    QuoteService service = context.getBean(QuoteService.class);
                    assertThat(service.quote("IBM")).isEqualTo(service.quote("IBM"));
                    assertThat(service.loads()).isOne();
                    service.forget("IBM");
                    service.quote("IBM");
                    assertThat(service.loads()).isEqualTo(2);
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingEnabled {

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCacheManager {

        @Bean
        ConcurrentMapCacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Utf8CodecConfiguration {

        @Bean
        Codec<Object> customerCodec() {
            return utf8Codec();
        }

        @Bean
        Codec<Object> utf8Codec() {
            return new Codec<>() {
                @Override
                public byte[] encode(Object value) {
                    return value.toString().getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public Object decode(byte[] bytes) {
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            };
        }
    }
}
