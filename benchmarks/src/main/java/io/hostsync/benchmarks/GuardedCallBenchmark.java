package io.hostsync.benchmarks;

import io.hostsync.RWLock;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * What {@code @ReadGuarded}/{@code @WriteGuarded} add over taking the lock directly (goal: at
 * most 100 ns): a Spring context with the hostsync starter and a guarded bean, called through
 * its proxy, against the same lock taken and released by hand around the same body (on an
 * instance that is not proxied). No MeterRegistry: the advisor's recorder is the no-op one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardedCallBenchmark {

    private ConfigurableApplicationContext context;
    private Path directory;
    private Guarded guarded;
    private final Guarded plain = new Guarded();
    private RWLock lock;

    /** Starts the Spring context. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        directory = Files.createTempDirectory("hostsync-bench");
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties("hostsync.directory=" + directory, "spring.main.banner-mode=off",
                        "logging.level.root=warn")
                .run();
        guarded = context.getBean(Guarded.class);
        lock = context.getBean(RWLock.class);
    }

    /** Stops the context and removes the region. */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        context.close();
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    /** @return the body's result */
    @Benchmark
    public long guardedWrite() {
        return guarded.write();
    }

    /** @return the body's result */
    @Benchmark
    public long directWrite() {
        lock.writeLock().lock();
        try {
            return plain.body();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the body's result */
    @Benchmark
    public long guardedRead() {
        return guarded.read();
    }

    /** @return the body's result */
    @Benchmark
    public long directRead() {
        lock.readLock().lock();
        try {
            return plain.body();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The application: the hostsync starter's auto-configuration and one guarded bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class Application {

        @Bean
        Guarded guarded() {
            return new Guarded();
        }
    }

    /** A bean whose methods are guarded by the default region's default lock. */
    public static class Guarded {

        private long calls;

        /** @return a count, the same body the direct benchmarks run */
        public long body() {
            return ++calls;
        }

        /** @return {@link #body()} under the write lock */
        @WriteGuarded
        public long write() {
            return body();
        }

        /** @return {@link #body()} under the read lock */
        @ReadGuarded
        public long read() {
            return body();
        }
    }
}
