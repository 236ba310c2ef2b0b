package io.hostsync.autoconfigure.guard;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.hostsync.SharedRegion;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Guarded methods with a key expression: each call takes the keyed lock of the key its
 * arguments give, in a real region; an expression that cannot work fails startup, naming the
 * method and the expression.
 */
class GuardedKeyTests {

    private final String region = "keyed-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner baseRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class));

    /** Tells the runner to use a region of 4 lock records in the test's directory (known only once the test runs). */
    private ApplicationContextRunner inRegion() {
        return this.baseRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB", "hostsync.regions." + this.region + ".max-locks=4");
    }

    @Test
    void aCallHoldsTheLockOfItsKeyAndNoOtherKeys() {
        inRegion().withBean(Orders.class).run((context) -> {
            SharedRegion region = context.getBean(SharedRegion.class);
            Orders orders = context.getBean(Orders.class);
            assertThat(orders.update("42", () -> region.lock("orders", "42").isWriteLockedByCurrentThread())).isTrue();
            assertThat(orders.update("42", () -> region.lock("orders", "43").isWriteLockedByCurrentThread())).isFalse();
            assertThat(orders.read(new Order(7, "seven"), () -> region.lock("orders", 7).getReadHoldCount() == 1))
                    .as("#order.id of a record argument").isTrue();
            assertThat(region.lock("orders", "42").getWriteHoldCount()).isZero();
        });
    }

    /** More keys than the region has lock records pass through it, one after another. */
    @Test
    void keysUsedOneAfterAnotherNeedNoMoreRecordsThanAreHeldAtOnce() {
        inRegion().withBean(Orders.class).run((context) -> {
            Orders orders = context.getBean(Orders.class);
            for (int order = 0; order < 1000; order++) {
                assertThat(orders.update("order-" + order, () -> true)).isTrue();
            }
        });
    }

    @Test
    void aCallWaitsOnlyForItsOwnKey() {
        inRegion().withBean(Orders.class).run((context) -> {
            SharedRegion region = context.getBean(SharedRegion.class);
            Orders orders = context.getBean(Orders.class);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                region.lock("orders", "busy").writeLock().lock();
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } finally {
                    region.lock("orders", "busy").writeLock().unlock();
                }
            });
            holder.start();
            try {
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(orders.tryUpdate("busy")).as("skipped: another thread holds the key").isNull();
                assertThat(orders.tryUpdate("idle")).isEqualTo("idle");
            } finally {
                release.countDown();
                holder.join();
            }
            assertThat(orders.tryUpdate("busy")).isEqualTo("busy");
        });
    }

    @Test
    void aNullKeyFailsTheCallWithoutRunningIt() {
        inRegion().withBean(Orders.class).run((context) -> {
            Orders orders = context.getBean(Orders.class);
            assertThatThrownBy(() -> orders.update(null, () -> {
                throw new AssertionError("must not run");
            })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("The key \"#orderId\" of @WriteGuarded on")
                    .hasMessageContaining("is null for this call");
        });
    }

    @Test
    void anExpressionThatDoesNotParseFailsStartupNamingTheMethodAndTheExpression() {
        inRegion().withBean(UnparsableKey.class)
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> assertThat(
                        refusal(failure).getMessage()).contains("UnparsableKey.write(String)", "\"#id)\"",
                                "not a SpEL expression")));
    }

    @Test
    void anExpressionNamingNoParameterFailsStartupNamingTheParameters() {
        inRegion().withBean(UnknownParameter.class)
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> assertThat(
                        refusal(failure).getMessage()).contains("UnknownParameter.write(String)", "\"#ordr.id\"",
                                "#ordr",
                                "[orderId, p0, a0]")));
    }

    @Test
    void aKeyedMethodOnAPosixRegionFailsStartup() {
        inRegion().withPropertyValues("hostsync.regions." + this.region + ".backend=posix")
                .withBean(Orders.class)
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> assertThat(
                        refusal(failure).getMessage()).contains("locks keys of lock family 'orders'",
                                "cannot use the posix backend")));
    }

    private static InvalidGuardException refusal(Throwable failure) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof InvalidGuardException refusal) {
                return refusal;
            }
        }
        throw new AssertionError("Startup failed, but not with an InvalidGuardException", failure);
    }

    /** An argument with an id. */
    record Order(long id, String name) {
    }

    /** Methods guarded per order. */
    static class Orders {

        @WriteGuarded(lock = "orders", key = "#orderId")
        public boolean update(String orderId, java.util.function.BooleanSupplier inside) {
            return inside.getAsBoolean();
        }

        @ReadGuarded(lock = "orders", key = "#order.id")
        public boolean read(Order order, java.util.function.BooleanSupplier inside) {
            return inside.getAsBoolean();
        }

        @WriteGuarded(lock = "orders", key = "#p0", timeout = "0", onTimeout = OnTimeout.SKIP)
        public String tryUpdate(String orderId) {
            return orderId;
        }
    }

    /** Refused: a key that is not an expression. */
    static class UnparsableKey {

        @WriteGuarded(lock = "orders", key = "#id)")
        public void write(String id) {
        }
    }

    /** Refused: a key naming a variable that is no parameter. */
    static class UnknownParameter {

        @WriteGuarded(lock = "orders", key = "#ordr.id")
        public void write(String orderId) {
        }
    }
}
