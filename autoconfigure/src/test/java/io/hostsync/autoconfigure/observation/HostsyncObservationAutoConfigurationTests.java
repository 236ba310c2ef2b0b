package io.hostsync.autoconfigure.observation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.hostsync.LockTimeoutException;
import io.hostsync.RWLock;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.testing.OtherProcess;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link HostsyncObservationAutoConfiguration}: guarded calls and their lock waits as
 * observations in the application's {@link ObservationRegistry}, as a trace shows them, and
 * nothing observed without a registry or with the property off. One behaviour each, in a region
 * of its own.
 */
class HostsyncObservationAutoConfigurationTests {

    private static final String CALL = DefaultGuardedCallObservationConvention.NAME;

    private static final String WAIT = DefaultLockWaitObservationConvention.NAME;

    private final String region = "observed-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class,
                            HostsyncObservationAutoConfiguration.class))
            .withBean(Stock.class);

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    private ApplicationContextRunner observed() {
        return inRegion().withBean(TestObservationRegistry.class, TestObservationRegistry::create);
    }

    @Test
    void theAutoConfigurationIsListedInTheImportsFile() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(HostsyncObservationAutoConfiguration.class.getName());
    }

    @Test
    void aGuardedCallIsObservedWithItsRegionLockModeAndOutcome() {
        observed().run((context) -> {
            context.getBean(Stock.class).write(() -> "written");
            assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo(CALL)
                    .that()
                    .hasContextualNameEqualTo("guarded Stock.write")
                    .hasLowCardinalityKeyValue("region", this.region)
                    .hasLowCardinalityKeyValue("lock", "default")
                    .hasLowCardinalityKeyValue("mode", "write")
                    .hasLowCardinalityKeyValue("outcome", "acquired")
                    .hasHighCardinalityKeyValue("method", "Stock.write")
                    .doesNotHaveError()
                    .hasBeenStarted()
                    .hasBeenStopped();
        });
    }

    @Test
    void theLockWaitIsAChildObservationOfTheGuardedCallWithTheSameKeys() {
        observed().run((context) -> {
            context.getBean(Stock.class).read(() -> "read");
            assertThat(context.getBean(TestObservationRegistry.class)).hasNumberOfObservationsEqualTo(2)
                    .hasObservationWithNameEqualTo(WAIT)
                    .that()
                    .hasContextualNameEqualTo("wait for read lock " + this.region + "/default")
                    .hasLowCardinalityKeyValue("region", this.region)
                    .hasLowCardinalityKeyValue("lock", "default")
                    .hasLowCardinalityKeyValue("mode", "read")
                    .hasLowCardinalityKeyValue("outcome", "acquired")
                    .hasParentObservationContextMatching((parent) -> CALL.equals(parent.getName()))
                    .hasBeenStopped();
        });
    }

    @Test
    void whatTheGuardedMethodObservesNestsUnderTheGuardedCall() {
        observed().run((context) -> {
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            Observation current = context.getBean(Stock.class).write(registry::getCurrentObservation);
            assertThat(current).isNotNull();
            assertThat(current.getContext().getName()).isEqualTo(CALL);
            assertThat(registry.getCurrentObservation()).isNull();
        });
    }

    @Test
    void aGuardedCallThatWaitedForAnotherThreadShowsTheWaitAsAChildSpanWithItsDuration() {
        SimpleTracer tracer = new SimpleTracer();
        observed().run((context) -> {
            CountDownLatch waiting = new CountDownLatch(1);
            context.getBean(TestObservationRegistry.class)
                    .observationConfig()
                    .observationHandler(new DefaultTracingObservationHandler(tracer))
                    .observationHandler(new WaitStarted(waiting));
            RWLock lock = context.getBean(RWLock.class);
            CountDownLatch held = new CountDownLatch(1);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                Future<?> holding = writer.submit(() -> {
                    lock.writeLock().lock();
                    try {
                        held.countDown();
                        // Counted from when the wait span has started, however slow the machine.
                        waiting.await(10, TimeUnit.SECONDS);
                        Thread.sleep(300);
                    } finally {
                        lock.writeLock().unlock();
                    }
                    return null;
                });
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                context.getBean(Stock.class).write(() -> "written after the other thread");
                holding.get(10, TimeUnit.SECONDS);
            } finally {
                writer.shutdownNow();
            }
            SimpleSpan call = span(tracer, "guarded Stock.write");
            SimpleSpan wait = span(tracer, "wait for write lock " + this.region + "/default");
            assertThat(wait.getParentId()).isEqualTo(call.getSpanId());
            assertThat(wait.getTraceId()).isEqualTo(call.getTraceId());
            assertThat(wait.getTags()).containsEntry("region", this.region)
                    .containsEntry("lock", "default")
                    .containsEntry("mode", "write")
                    .containsEntry("outcome", "acquired");
            assertThat(wait.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(250))
                    .isLessThanOrEqualTo(call.getDuration());
        });
    }

    @Test
    void aGuardedCallThatTimedOutWhileAnotherProcessHeldTheLockIsObservedWithOutcomeTimeoutAndTheError() {
        observed().run((context) -> {
            try (OtherProcess other = OtherProcess.holding(this.directory, this.region, "default", "write")) {
                assertThatExceptionOfType(LockTimeoutException.class)
                        .isThrownBy(() -> context.getBean(Stock.class).writeWithin50ms());
            }
            assertThat(context.getBean(TestObservationRegistry.class))
                    .hasObservationWithNameEqualTo(CALL)
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "timeout")
                    .assertThatError()
                    .isInstanceOf(LockTimeoutException.class);
            assertThat(context.getBean(TestObservationRegistry.class))
                    .hasObservationWithNameEqualTo(WAIT)
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "timeout")
                    .doesNotHaveError()
                    .hasBeenStopped();
        });
    }

    @Test
    void aSkippedCallIsObservedWithOutcomeTimeoutAndNoError() {
        observed().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            String result = onOtherThreadHolding(lock, () -> context.getBean(Stock.class).writeOrSkip());
            assertThat(result).isNull();
            assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo(CALL)
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "timeout")
                    .doesNotHaveError()
                    .hasBeenStopped();
        });
    }

    @Test
    void whatTheGuardedMethodThrowsIsTheErrorOfTheGuardedCall() {
        observed().run((context) -> {
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(Stock.class).write(() -> {
                throw new IllegalStateException("boom");
            }));
            assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo(CALL)
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "acquired")
                    .hasError()
                    .hasBeenStopped();
        });
    }

    @Test
    void aGuardedCallConventionBeanReplacesTheDefaultConvention() {
        observed().withBean(GuardedCallObservationConvention.class, TeamConvention::new).run((context) -> {
            context.getBean(Stock.class).write(() -> "written");
            assertThat(context.getBean(TestObservationRegistry.class))
                    .hasObservationWithNameEqualTo("inventory.guarded")
                    .that()
                    .hasLowCardinalityKeyValue("team", "inventory")
                    .hasLowCardinalityKeyValue("region", this.region);
        });
    }

    @Test
    void aLockWaitConventionBeanReplacesTheDefaultConvention() {
        observed().withBean(LockWaitObservationConvention.class, () -> new DefaultLockWaitObservationConvention() {

            @Override
            public String getContextualName(LockWaitContext context) {
                return "waiting for " + context.getLock();
            }
        }).run((context) -> {
            context.getBean(Stock.class).write(() -> "written");
            assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo(WAIT)
                    .that()
                    .hasContextualNameEqualTo("waiting for default");
        });
    }

    @Test
    void springBootsObservationAutoConfigurationProvidesTheRegistryAndItsPropertiesCanTurnTheWaitOff() {
        inRegion().withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("management.observations.enable.hostsync.guarded.wait=false")
                .run((context) -> {
                    context.getBean(Stock.class).write(() -> "written");
                    assertThat(context.getBean(TestObservationRegistry.class)).hasNumberOfObservationsEqualTo(1)
                            .hasObservationWithNameEqualTo(CALL)
                            .that()
                            .hasLowCardinalityKeyValue("outcome", "acquired")
                            .hasBeenStopped();
                });
    }

    @Test
    void withoutAnObservationRegistryGuardedCallsAreNotObserved() {
        inRegion().run((context) -> {
            assertThat(context).hasSingleBean(GuardedCallObserver.class);
            assertThat(context.getBean(GuardedCallObserver.class)).isSameAs(GuardedCallObserver.none());
            assertThat(context.getBean(Stock.class).write(() -> "written")).isEqualTo("written");
        });
    }

    @Test
    void anObservationRegistryWithoutHandlersLeavesGuardedCallsUnobserved() {
        inRegion().withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run((context) -> assertThat(context.getBean(GuardedCallObserver.class))
                        .isSameAs(GuardedCallObserver.none()));
    }

    @Test
    void whenObservationsAreDisabledThenThereIsNoObserverAndGuardedCallsAreNotObserved() {
        observed().withPropertyValues("hostsync.observations.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(GuardedCallObserver.class);
            context.getBean(Stock.class).write(() -> "written");
            assertThat(context.getBean(TestObservationRegistry.class)).doesNotHaveAnyObservation();
        });
    }

    @Test
    void withoutMicrometerObservationOnTheClassPathThereIsNoObserverAndGuardedCallsWork() {
        inRegion().withClassLoader(new FilteredClassLoader("io.micrometer.observation")).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(GuardedCallObserver.class);
            RWLock lock = context.getBean(RWLock.class);
            assertThat(context.getBean(Stock.class).write(lock::isWriteLockedByCurrentThread)).isTrue();
        });
    }

    private static SimpleSpan span(SimpleTracer tracer, String name) {
        return tracer.getSpans()
                .stream()
                .filter((span) -> name.equals(span.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No span named '" + name + "' among " + tracer.getSpans()));
    }

    /** Calls something while another thread holds the write lock. */
    private static <T> T onOtherThreadHolding(RWLock lock, Supplier<T> call) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> holding = writer.submit(() -> {
                lock.writeLock().lock();
                try {
                    held.countDown();
                    done.await(10, TimeUnit.SECONDS);
                } finally {
                    lock.writeLock().unlock();
                }
                return null;
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            T result = call.get();
            done.countDown();
            holding.get(10, TimeUnit.SECONDS);
            return result;
        } finally {
            writer.shutdownNow();
        }
    }

    /** A bean with guarded methods; public, as its proxy class may be defined by a filtered class loader. */
    public static class Stock {

        @WriteGuarded
        public <T> T write(Supplier<T> body) {
            return body.get();
        }

        @ReadGuarded
        public <T> T read(Supplier<T> body) {
            return body.get();
        }

        @WriteGuarded(timeout = "50ms")
        public String writeWithin50ms() {
            return "called";
        }

        @WriteGuarded(timeout = "50ms", onTimeout = OnTimeout.SKIP)
        public String writeOrSkip() {
            return "called";
        }
    }

    /** Tells when a lock wait has started: registered after the tracing handler, so after its span has. */
    private record WaitStarted(CountDownLatch latch) implements ObservationHandler<LockWaitContext> {

        @Override
        public void onStart(LockWaitContext context) {
            this.latch.countDown();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof LockWaitContext;
        }
    }

    /** A team's convention: its own name and one more key. */
    static class TeamConvention extends DefaultGuardedCallObservationConvention {

        @Override
        public String getName() {
            return "inventory.guarded";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(GuardedCallContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "inventory");
        }
    }
}
