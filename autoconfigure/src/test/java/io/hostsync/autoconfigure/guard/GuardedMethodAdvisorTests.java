package io.hostsync.autoconfigure.guard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import io.hostsync.LockTimeoutException;
import io.hostsync.LockUpgradeException;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.GuardedBeans.Catalog;
import io.hostsync.autoconfigure.guard.GuardedBeans.ClassGuarded;
import io.hostsync.autoconfigure.guard.GuardedBeans.DefaultCatalog;
import io.hostsync.autoconfigure.guard.GuardedBeans.Inventory;
import io.hostsync.autoconfigure.guard.GuardedBeans.Orders;
import io.hostsync.autoconfigure.guard.GuardedBeans.Prices;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link GuardedMethodAdvisor}: what a guarded method holds while it runs, and what it
 * does when it cannot have its lock. One behaviour each, in a region of its own.
 */
class GuardedMethodAdvisorTests {

    private final String region = "guard-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class))
            .withBean(Inventory.class);

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    @Test
    void writeGuardedMethodHoldsTheWriteLockOfTheDefaultLockWhileItRuns() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            boolean held = context.getBean(Inventory.class).write(lock::isWriteLockedByCurrentThread);
            assertThat(held).isTrue();
            assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
        });
    }

    @Test
    void guardedCallsAreTimedAsWaitsAndHoldsWhenMetricsAreOn() {
        inRegion().withBean(SimpleMeterRegistry.class)
                .withConfiguration(AutoConfigurations.of(HostsyncMetricsAutoConfiguration.class))
                .run((context) -> {
                    context.getBean(Inventory.class).write(() -> "written");
                    context.getBean(Inventory.class).read(() -> "read");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("hostsync.lock.hold")
                            .tags("region", this.region, "lock", "default", "mode", "write")
                            .timer().count()).isOne();
                    assertThat(registry.get("hostsync.lock.hold")
                            .tags("region", this.region, "lock", "default", "mode", "read")
                            .timer().count()).isOne();
                    assertThat(registry.get("hostsync.lock.wait")
                            .tags("region", this.region, "lock", "default", "mode", "write", "outcome", "acquired")
                            .timer().count()).isOne();
                });
    }

    @Test
    void withoutAnyRegionConfiguredTheAnnotationsTakeTheLockOfTheDefaultRegion() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory).run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            assertThat(lock.regionName()).isEqualTo("default");
            assertThat(context.getBean(Inventory.class).write(lock::isWriteLockedByCurrentThread)).isTrue();
        });
    }

    @Test
    void readGuardedMethodsInTwoThreadsRunAtTheSameTime() {
        inRegion().run((context) -> {
            Inventory inventory = context.getBean(Inventory.class);
            CountDownLatch bothInside = new CountDownLatch(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> readers = new ArrayList<>();
                for (int thread = 0; thread < 2; thread++) {
                    readers.add(threads.submit(() -> inventory.read(() -> {
                        bothInside.countDown();
                        try {
                            return bothInside.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    })));
                }
                for (Future<Boolean> reader : readers) {
                    assertThat(reader.get(20, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                threads.shutdownNow();
            }
        });
    }

    @Test
    void readGuardedMethodHoldsTheReadLockWhileItRuns() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            int readHolds = context.getBean(Inventory.class).read(lock::getReadHoldCount);
            assertThat(readHolds).isEqualTo(1);
            assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
            assertThat(lock.getReadHoldCount()).isZero();
        });
    }

    @Test
    void unannotatedMethodTakesNoLock() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            assertThat(context.getBean(Inventory.class).unguarded(() -> "" + lock.getReadHoldCount()
                    + lock.getWriteHoldCount())).isEqualTo("00");
        });
    }

    @Test
    void lockAttributeTakesTheNamedLockOfTheRegion() {
        inRegion().run((context) -> {
            RWLock stock = context.getBean(SharedRegion.class).lock("stock");
            assertThat(context.getBean(Inventory.class).writeStock(stock::isWriteLockedByCurrentThread)).isTrue();
            assertThat(context.getBean(RWLock.class).isWriteLockedByCurrentThread()).isFalse();
        });
    }

    @Test
    void namedLocksOfGuardedMethodsAreCreatedAtStartup() {
        inRegion().run((context) -> assertThat(context.getBean(SharedRegion.class).lockNames()).contains("stock"));
    }

    @Test
    void regionAttributeTakesTheLockOfTheNamedRegion() {
        inRegion()
                .withPropertyValues("hostsync.regions.orders.size=1MB",
                        "hostsync.regions." + this.region + ".default=true")
                .withBean(Orders.class)
                .run((context) -> {
                    RWLock orders = context.getBean(HostsyncAutoConfiguration.lockBeanName("orders"), RWLock.class);
                    assertThat(context.getBean(Orders.class).write(orders::isWriteLockedByCurrentThread)).isTrue();
                    assertThat(context.getBean(RWLock.class).isWriteLockedByCurrentThread()).isFalse();
                });
    }

    @Test
    void exceptionThrownByTheMethodReleasesTheLock() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(Inventory.class).write(() -> {
                throw new IllegalStateException("boom");
            })).withMessage("boom");
            assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
            assertThat(otherThreadCanTakeTheWriteLock(lock)).isTrue();
        });
    }

    @Test
    void classLevelAnnotationGuardsEveryPublicMethod() {
        inRegion().withBean(ClassGuarded.class).run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            assertThat(context.getBean(ClassGuarded.class).write(lock::isWriteLockedByCurrentThread)).isTrue();
        });
    }

    @Test
    void methodAnnotationOverridesTheClassAnnotation() {
        inRegion().withBean(ClassGuarded.class).run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            ClassGuarded bean = context.getBean(ClassGuarded.class);
            assertThat(bean.read(() -> lock.getReadHoldCount() + "/" + lock.isWriteLockedByCurrentThread()))
                    .isEqualTo("1/false");
        });
    }

    @Test
    void composedAnnotationTakesTheLockItsMetaAnnotationNames() {
        inRegion().withBean(Prices.class).run((context) -> {
            RWLock priceTable = context.getBean(SharedRegion.class).lock("price-table");
            assertThat(context.getBean(Prices.class).rebuild(priceTable::isWriteLockedByCurrentThread)).isTrue();
        });
    }

    @Test
    void composedAnnotationOverridesTimeoutAndOnTimeoutThroughAliases() {
        inRegion().withBean(Prices.class).run((context) -> {
            RWLock priceTable = context.getBean(SharedRegion.class).lock("price-table");
            whileHeldElsewhere(priceTable, () -> {
                long start = System.nanoTime();
                assertThat(context.getBean(Prices.class).rebuildOrSkip()).isNull();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
            });
        });
    }

    @Test
    void whenTheLockIsHeldElsewhereThenTimeoutThrowsLockTimeoutExceptionNamingRegionLockModeAndTimeout() {
        inRegion().run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                assertThatExceptionOfType(LockTimeoutException.class)
                        .isThrownBy(() -> context.getBean(Inventory.class).writeWithin50ms())
                        .withMessageContaining("Timed out after 50ms")
                        .withMessageContaining("the write lock of lock 'default' in region '" + this.region + "'")
                        .withMessageContaining("Inventory.writeWithin50ms()");
            });
        });
    }

    @Test
    void whenTheLockIsHeldElsewhereThenSkipReturnsNull() {
        inRegion().run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                assertThat(context.getBean(Inventory.class).writeOrSkip()).isNull();
            });
        });
    }

    @Test
    void whenTheLockIsHeldElsewhereThenSkipReturnsAnEmptyOptional() {
        inRegion().run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                assertThat(context.getBean(Inventory.class).writeOrSkipOptional()).isEmpty();
            });
        });
    }

    @Test
    void whenTheLockIsFreeThenSkippingMethodIsCalled() {
        inRegion().run((context) -> assertThat(context.getBean(Inventory.class).writeOrSkipOptional())
                .isEqualTo(Optional.of("called")));
    }

    @Test
    void timeoutPlaceholderIsResolvedFromTheEnvironment() {
        inRegion().withPropertyValues("test.read-timeout=50ms").run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                assertThatExceptionOfType(LockTimeoutException.class)
                        .isThrownBy(() -> context.getBean(Inventory.class).readWithPropertyTimeout())
                        .withMessageContaining("Timed out after 50ms")
                        .withMessageContaining("the read lock");
            });
        });
    }

    @Test
    void withoutTimeoutTheRegionsAcquireTimeoutApplies() {
        inRegion().withPropertyValues("hostsync.regions." + this.region + ".acquire-timeout=60ms").run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                assertThatExceptionOfType(LockTimeoutException.class)
                        .isThrownBy(() -> context.getBean(Inventory.class).writeWithRegionTimeout())
                        .withMessageContaining("Timed out after 60ms")
                        .withMessageContaining("hostsync.regions." + this.region + ".acquire-timeout");
            });
        });
    }

    @Test
    void nestedGuardedCallsOnTheSameLockAreReentrant() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            Inventory inventory = context.getBean(Inventory.class);
            String holds = inventory.write(() -> inventory.write(
                    () -> inventory.read(() -> lock.getWriteHoldCount() + "w" + lock.getReadHoldCount() + "r")));
            assertThat(holds).isEqualTo("2w1r");
            assertThat(lock.getWriteHoldCount()).isZero();
            assertThat(lock.getReadHoldCount()).isZero();
        });
    }

    @Test
    void nestedReadGuardedCallsShareTheReadLock() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(inventory.read(() -> inventory.read(lock::getReadHoldCount))).isEqualTo(2);
        });
    }

    @Test
    void writeGuardedCallInsideAReadGuardedOneOnTheSameLockThrowsLockUpgradeException() {
        inRegion().run((context) -> {
            RWLock lock = context.getBean(RWLock.class);
            Inventory inventory = context.getBean(Inventory.class);
            assertThatExceptionOfType(LockUpgradeException.class)
                    .isThrownBy(() -> inventory.read(() -> inventory.write(() -> "never")))
                    .withMessageContaining("holds the read lock");
            assertThat(lock.getReadHoldCount()).isZero();
        });
    }

    @Test
    void classProxyIsUsedByDefaultAndGuardsTheClassMethods() {
        inRegion().run((context) -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(AopUtils.isCglibProxy(inventory)).isTrue();
            assertThat(inventory.write(context.getBean(RWLock.class)::isWriteLockedByCurrentThread)).isTrue();
        });
    }

    @Test
    void jdkProxyGuardsTheInterfaceMethodsWhenClassProxyingIsOff() {
        inRegion().withPropertyValues("spring.aop.proxy-target-class=false")
                .withBean(Catalog.class, DefaultCatalog::new)
                .run((context) -> {
                    RWLock lock = context.getBean(RWLock.class);
                    Catalog catalog = context.getBean(Catalog.class);
                    assertThat(AopUtils.isJdkDynamicProxy(catalog)).isTrue();
                    assertThat(catalog.read(lock::getReadHoldCount)).isEqualTo(1);
                    assertThat(catalog.write(lock::isWriteLockedByCurrentThread)).isTrue();
                });
    }

    @Test
    void annotationOnAnInterfaceMethodGuardsItsImplementationBehindAClassProxy() {
        inRegion().withBean(Catalog.class, DefaultCatalog::new).run((context) -> {
            Catalog catalog = context.getBean(Catalog.class);
            assertThat(AopUtils.isCglibProxy(catalog)).isTrue();
            assertThat(catalog.read(context.getBean(RWLock.class)::getReadHoldCount)).isEqualTo(1);
        });
    }

    @Test
    void twoThreadsCallingAWriteGuardedMethodNeverOverlap() throws Exception {
        inRegion().run((context) -> {
            Inventory inventory = context.getBean(Inventory.class);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger sections = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int thread = 0; thread < 2; thread++) {
                    workers.add(threads.submit(() -> {
                        start.await();
                        for (int call = 0; call < 200; call++) {
                            inventory.write(() -> {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                Thread.onSpinWait();
                                Thread.yield();
                                sections.incrementAndGet();
                                inside.decrementAndGet();
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> worker : workers) {
                    worker.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(sections).hasValue(400);
            assertThat(overlaps).hasValue(0);
        });
    }

    @Test
    void interruptWhileWaitingThrowsAndKeepsTheInterrupt() {
        inRegion().withPropertyValues("hostsync.regions." + this.region + ".acquire-timeout=30s").run((context) -> {
            whileHeldElsewhere(context.getBean(RWLock.class), () -> {
                Thread.currentThread().interrupt();
                try {
                    assertThatExceptionOfType(LockTimeoutException.class)
                            .isThrownBy(() -> context.getBean(Inventory.class).writeWithRegionTimeout())
                            .withMessageContaining("Interrupted")
                            .withCauseInstanceOf(InterruptedException.class);
                    assertThat(Thread.currentThread().isInterrupted()).isTrue();
                } finally {
                    Thread.interrupted();
                }
            });
        });
    }

    private static boolean otherThreadCanTakeTheWriteLock(RWLock lock) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return other.submit(() -> {
                Lock writeLock = lock.writeLock();
                boolean acquired = writeLock.tryLock(5, TimeUnit.SECONDS);
                if (acquired) {
                    writeLock.unlock();
                }
                return acquired;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * Runs a body while another thread holds the write lock of a lock, so that a guarded call in
     * the body cannot have it.
     */
    private static void whileHeldElsewhere(RWLock lock, Body body) throws Exception {
        Lock writeLock = lock.writeLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            writeLock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                writeLock.unlock();
            }
        }, "lock-holder");
        holder.start();
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            body.run();
        } finally {
            release.countDown();
            holder.join(10_000);
        }
    }

    /** A test body that may throw. */
    @FunctionalInterface
    interface Body {

        void run() throws Exception;
    }
}
