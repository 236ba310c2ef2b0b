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
    void obtainedLockIsTheWriteLockOfTheNamedLockForTheKey() {
        inRegion().run((context) -> {
            Lock lock = context.getBean(HostsyncLockRegistry.class).obtain("nightly-job");
            lock.lock();
            try {
                assertThat(context.getBean(SharedRegion.class).lock("nightly-job").isWriteLockedByCurrentThread())
                    .isTrue();
            }
            finally {
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
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                boolean acquiredElsewhere = other.submit(() -> registry.obtain("nightly-job").tryLock(50,
                        TimeUnit.MILLISECONDS)).get(10, TimeUnit.SECONDS);
                assertThat(acquiredElsewhere).isFalse();
            }
            finally {
                lock.unlock();
                other.shutdownNow();
            }
        });
    }

    @Test
    void keyThatIsAValidLockNameIsUsedAsIs() {
        assertThat(HostsyncLockRegistry.lockName("orders.rebuild-1")).isEqualTo("orders.rebuild-1");
    }

    @Test
    void keyThatIsNotAValidLockNameIsMappedToAValidNameThatKeepsDifferentKeysApart() {
        String first = HostsyncLockRegistry.lockName("orders:42/rebuild");
        String second = HostsyncLockRegistry.lockName("orders_42_rebuild");
        String third = HostsyncLockRegistry.lockName("orders:42:rebuild");
        assertThat(first).matches("[A-Za-z0-9._-]+").startsWith("orders_42_rebuild-");
        assertThat(second).isEqualTo("orders_42_rebuild");
        assertThat(third).isNotEqualTo(first);
        assertThat(HostsyncLockRegistry.lockName("orders:42/rebuild")).isEqualTo(first);
    }

    @Test
    void longKeyIsMappedToANameThatFitsTheLockRecord() {
        String name = HostsyncLockRegistry.lockName("x".repeat(500));
        assertThat(name).hasSize(Names.MAX_LOCK_LENGTH).matches("[A-Za-z0-9._-]+");
        assertThat(HostsyncLockRegistry.lockName("x".repeat(501))).isNotEqualTo(name);
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
