package io.hostsync.autoconfigure.twojvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.WriteGuarded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A small Spring application with a write-guarded section that changes shared counters without
 * atomics, run in this JVM and in another one by {@link TwoApplicationsTests}. As a main class it
 * obeys lines on standard input: {@code run N} (N guarded transfers, then
 * {@code DONE violations=..}), {@code exit}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GuardedApplication {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    Ledger ledger(SharedState state) {
        return new Ledger(state);
    }

    static ConfigurableApplicationContext start(String directory, String region) {
        return new SpringApplicationBuilder(GuardedApplication.class).web(WebApplicationType.NONE)
                .properties("hostsync.directory=" + directory, "hostsync.regions." + region + ".size=1MB",
                        "spring.main.banner-mode=off", "logging.level.root=warn")
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
            Ledger ledger = context.getBean(Ledger.class);
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            String line;
            while ((line = input.readLine()) != null && !line.equals("exit")) {
                if (line.startsWith("run ")) {
                    long count = Long.parseLong(line.substring(4));
                    for (long i = 0; i < count; i++) {
                        ledger.transfer();
                    }
                    System.out.println("DONE violations=" + ledger.violations());
                }
            }
        }
    }

    /** Moves one unit between two shared counters inside a write-guarded section, without atomics. */
    public static class Ledger {

        private final SharedCounter from;

        private final SharedCounter to;

        private final SharedCounter inside;

        private final AtomicLong violations = new AtomicLong();

        Ledger(SharedState state) {
            this.from = state.counter("from");
            this.to = state.counter("to");
            this.inside = state.counter("inside");
        }

        /** Reads both counters, waits a little, writes both back: any overlap loses an update. */
        @WriteGuarded(timeout = "60s")
        public void transfer() {
            if (this.inside.incrementAndGet() != 1) {
                this.violations.incrementAndGet();
            }
            long a = this.from.get();
            long b = this.to.get();
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            this.from.set(a - 1);
            this.to.set(b + 1);
            this.inside.decrementAndGet();
        }

        /** @return sections that found another one inside */
        public long violations() {
            return this.violations.get();
        }

        /** @return units moved so far, by every application */
        public long moved() {
            return this.to.get();
        }

        /** @return whether the books balance */
        public boolean balanced() {
            return this.from.get() + this.to.get() == 0;
        }
    }
}
