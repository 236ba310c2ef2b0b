package io.hostsync.autoconfigure.integration;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.hostsync.Names;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncIntegrationAutoConfiguration} and {@link HostsyncLockRegistry}.
 */
class HostsyncIntegrationAutoConfigurationTests {

    private final String region = "registry-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncIntegrationAutoConfiguration.class));

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    @Test
    void whenSpringIntegrationIsPresentThenALockRegistryOverTheDefaultRegionIsABean() {
        inRegion().run((context) -> {
            assertThat(context).hasSingleBean(LockRegistry.class).hasBean("hostsyncLockRegistry");
            assertThat(context.getBean(HostsyncLockRegistry.class).getRegion())
                    .isSameAs(context.getBean(SharedRegion.class));
        });
    }

    @Test
    void obtainedLockIsTheWriteLockOfTheKeyedLockForTheKey() {
        inRegion().run((context) -> {
            Lock lock = context.getBean(HostsyncLockRegistry.class).obtain("nightly-job");
            lock.lock();
            try {
                assertThat(context.getBean(SharedRegion.class)
                        .lock(HostsyncLockRegistry.DEFAULT_FAMILY, "nightly-job")
                        .isWriteLockedByCurrentThread()).isTrue();
                assertThat(context.getBean(SharedRegion.class).lockNames()).as("no named lock for a key")
                        .containsExactly(Names.DEFAULT_LOCK);
            } finally {
                lock.unlock();
            }
        });
    }

    @Test
    void obtainedLockExcludesAnotherThread() {
        inRegion().run((context) -> {
            HostsyncLockRegistry registry = context.getBean(HostsyncLockRegistry.class);
            Lock lock = registry.obtain("nightly-job");
            lock.lock();
            try {
                assertThat(tryInOtherThread(registry, "nightly-job")).isFalse();
                assertThat(tryInOtherThread(registry, "nightly-job-2")).as("another key").isTrue();
            } finally {
                lock.unlock();
            }
        });
    }

    /** One key per invoice: far more keys than the region's 16 lock records, any characters. */
    @Test
    void anyKeyIsAcceptedAndKeysUsedOneAfterAnotherNeedNoMoreRecordsThanAreHeldAtOnce() {
        inRegion().run((context) -> {
            HostsyncLockRegistry registry = context.getBean(HostsyncLockRegistry.class);
            for (int invoice = 0; invoice < 1000; invoice++) {
                Lock lock = registry.obtain("invoice:" + invoice + "/é");
                lock.lock();
                lock.unlock();
            }
            Lock first = registry.obtain("orders:42/rebuild");
            first.lock();
            try {
                assertThat(tryInOtherThread(registry, "orders_42_rebuild")).as("keys that a name mapping merged")
                        .isTrue();
                assertThat(tryInOtherThread(registry, "orders:42/rebuild")).isFalse();
            } finally {
                first.unlock();
            }
        });
    }

    @Test
    void aKeyTooLongForALockRecordIsLockedThroughItsDigest() {
        inRegion().run((context) -> {
            HostsyncLockRegistry registry = context.getBean(HostsyncLockRegistry.class);
            String key = "x".repeat(500);
            Lock lock = registry.obtain(key);
            lock.lock();
            try {
                assertThat(tryInOtherThread(registry, key)).as("the same long key").isFalse();
                assertThat(tryInOtherThread(registry, key + "y")).as("another long key").isTrue();
            } finally {
                lock.unlock();
            }
        });
    }

    private static boolean tryInOtherThread(HostsyncLockRegistry registry, String key) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return other.submit(() -> {
                Lock lock = registry.obtain(key);
                boolean acquired = lock.tryLock(50, TimeUnit.MILLISECONDS);
                if (acquired) {
                    lock.unlock();
                }
                return acquired;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void whenSpringIntegrationIsAbsentThenThereIsNoLockRegistry() {
        inRegion().withClassLoader(new FilteredClassLoader(LockRegistry.class))
                .run((context) -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean("hostsyncLockRegistry")
                        .hasSingleBean(SharedRegion.class));
    }

    @Test
    void whenTheApplicationDefinesALockRegistryThenHostsyncsBacksOff() {
        inRegion().withBean("redisLockRegistry", DefaultLockRegistry.class)
                .run((context) -> assertThat(context).hasSingleBean(LockRegistry.class)
                        .hasBean("redisLockRegistry")
                        .doesNotHaveBean("hostsyncLockRegistry"));
    }

    @Test
    void whenSeveralRegionsAreConfiguredAndNoneIsTheDefaultThenThereIsNoLockRegistry() {
        inRegion().withPropertyValues("hostsync.regions.other-" + this.region + ".size=1MB")
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LockRegistry.class));
    }
}
