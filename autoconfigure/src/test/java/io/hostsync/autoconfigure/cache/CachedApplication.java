package io.hostsync.autoconfigure.cache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring application that caches quotes host-wide, run in the test's JVM and in others by
 * {@link CacheAcrossApplicationsTests}. Loading a quote adds one to the shared counter "loads".
 * As a main class it obeys lines on standard input: {@code get CACHE KEY} (prints
 * {@code VALUE v}), {@code exit}. Its loader of {@code hang} keys prints {@code LOADING} and never
 * returns when the JVM runs with {@code -Dhang=true}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
public class CachedApplication {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    Quotes quotes(SharedState state) {
        return new Quotes(state.counter("loads"));
    }

    static ConfigurableApplicationContext start(String directory, String region, String... more) {
        String[] properties = { "hostsync.directory=" + directory, "hostsync.regions." + region + ".size=8MB",
                "hostsync.cache.enabled=true", "hostsync.cache.caches.quotes.entries=1000",
                "hostsync.cache.caches.quotes.entry-size=200B", "hostsync.cache.caches.short.time-to-live=300ms",
                "hostsync.cache.caches.short.entries=100", "hostsync.cache.caches.small.entries=64",
                "hostsync.cache.caches.small.entry-size=200B", "spring.main.banner-mode=off", "logging.level.root=warn",
                "management.endpoints.access.default=unrestricted", "management.endpoints.jmx.exposure.include=*",
                "management.endpoints.web.exposure.include=*" };
        return new SpringApplicationBuilder(CachedApplication.class).web(WebApplicationType.NONE)
                .properties(properties)
                .properties(more)
                .run();
    }

    /**
     * Runs the application and obeys its standard input.
     *
     * @param args directory, region name
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = start(args[0], args[1])) {
            Quotes quotes = context.getBean(Quotes.class);
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            String line;
            while ((line = input.readLine()) != null && !line.equals("exit")) {
                String[] words = line.split(" ");
                if (words[0].equals("get")) {
                    System.out.println("VALUE " + get(quotes, words[1], words[2]));
                } else if (words[0].equals("fill")) {
                    for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                        get(quotes, words[1], "k" + i);
                    }
                    System.out.println("FILLED");
                }
            }
        }
    }

    /** A quote through the named cache: quotes, short or small (through the proxy, hence the cache). */
    private static String get(Quotes quotes, String cache, String symbol) {
        return switch (cache) {
            case "quotes" -> quotes.quote(symbol);
            case "short" -> quotes.shortLived(symbol);
            case "small" -> quotes.small(symbol);
            default -> throw new IllegalArgumentException(cache);
        };
    }

    /** Quotes, loaded slowly and counted in a shared counter, cached in three caches. */
    public static class Quotes {

        private final SharedCounter loads;

        Quotes(SharedCounter loads) {
            this.loads = loads;
        }

        @Cacheable(cacheNames = "quotes", sync = true)
        public String quote(String symbol) {
            return load(symbol);
        }

        @Cacheable(cacheNames = "short", sync = true)
        public String shortLived(String symbol) {
            return load(symbol);
        }

        @Cacheable(cacheNames = "small")
        public String small(String symbol) {
            return load(symbol);
        }

        private String load(String symbol) {
            this.loads.incrementAndGet();
            if (symbol.startsWith("hang") && Boolean.getBoolean("hang")) {
                System.out.println("LOADING " + symbol);
                while (true) {
                    LockSupport.park(); // holding the key's lock, until the test kills this JVM
                }
            }
            if (symbol.startsWith("slow")) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return symbol + "@" + ProcessHandle.current().pid();
        }
    }
}
