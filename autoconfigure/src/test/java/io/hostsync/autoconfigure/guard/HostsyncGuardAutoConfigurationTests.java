package io.hostsync.autoconfigure.guard;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import io.hostsync.RWLock;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.guard.GuardedBeans.Inventory;
import io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncLockRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncGuardAutoConfiguration}: the advisor, its order and switch, the
 * auto-proxy creator, and annotations over a Spring Integration {@link LockRegistry}.
 */
class HostsyncGuardAutoConfigurationTests {

    private final String region = "guards-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class));

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    @Test
    void advisorIsAnInfrastructureBeanWithTheDefaultOrder() {
        inRegion().run((context) -> {
            assertThat(context).hasSingleBean(GuardedMethodAdvisor.class);
            assertThat(context.getBean(GuardedMethodAdvisor.class).getOrder())
                    .isEqualTo(HostsyncProperties.Annotations.DEFAULT_ORDER);
            assertThat(context.getBeanFactory().getBeanDefinition("hostsyncGuardedMethodAdvisor").getRole())
                    .isEqualTo(BeanDefinition.ROLE_INFRASTRUCTURE);
        });
    }

    @Test
    void advisorOrderIsConfigurable() {
        inRegion().withPropertyValues("hostsync.annotations.order=7")
                .run((context) -> assertThat(context.getBean(GuardedMethodAdvisor.class).getOrder()).isEqualTo(7));
    }

    @Test
    void whenAnnotationsAreDisabledThenThereIsNoAdvisorAndMethodsRunUnguarded() {
        inRegion().withPropertyValues("hostsync.annotations.enabled=false").withBean(Inventory.class).run((context) -> {
            assertThat(context).doesNotHaveBean(GuardedMethodAdvisor.class);
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(AopUtils.isAopProxy(inventory)).isFalse();
            assertThat(inventory.write(context.getBean(RWLock.class)::isWriteLockedByCurrentThread)).isFalse();
        });
    }

    @Test
    void anAutoProxyCreatorIsRegisteredWithoutSpringBootsAopAutoConfiguration() {
        inRegion().run((context) -> assertThat(context).hasBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME));
    }

    @Test
    void annotationsWorkAlongsideSpringBootsAopAutoConfiguration() {
        inRegion().withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withBean(Inventory.class)
                .run((context) -> assertThat(context.getBean(Inventory.class)
                        .write(context.getBean(RWLock.class)::isWriteLockedByCurrentThread)).isTrue());
    }

    @Test
    void whenALockRegistryIsConfiguredThenAnnotationsTakeItsLockForRegionAndLockName() {
        inRegion().withBean("recordingLockRegistry", RecordingLockRegistry.class)
                .withPropertyValues("hostsync.annotations.lock-registry=recordingLockRegistry")
                .withBean(Inventory.class)
                .run((context) -> {
                    RecordingLockRegistry registry = context.getBean(RecordingLockRegistry.class);
                    RWLock hostsyncLock = context.getBean(RWLock.class);
                    Inventory inventory = context.getBean(Inventory.class);
                    boolean hostsyncLockHeld = inventory.write(hostsyncLock::isWriteLockedByCurrentThread);
                    assertThat(hostsyncLockHeld).isFalse();
                    assertThat(registry.keys).containsExactly(this.region + ":default");
                    inventory.writeStock(() -> null);
                    assertThat(registry.keys).endsWith(this.region + ":stock");
                });
    }

    @Test
    void whenALockRegistryIsConfiguredThenReadGuardedMethodsTakeItsExclusiveLockToo() {
        inRegion().withBean("recordingLockRegistry", RecordingLockRegistry.class)
                .withPropertyValues("hostsync.annotations.lock-registry=recordingLockRegistry")
                .withBean(Inventory.class)
                .run((context) -> {
                    RecordingLockRegistry registry = context.getBean(RecordingLockRegistry.class);
                    String key = this.region + ":default";
                    Lock lock = registry.obtain(key);
                    boolean heldByThisThread = context.getBean(Inventory.class)
                            .read(() -> ((ReentrantLock) lock).isHeldByCurrentThread());
                    assertThat(heldByThisThread).isTrue();
                });
    }

    @Test
    void annotationsCanUseHostsyncsOwnLockRegistry() {
        inRegion().withConfiguration(AutoConfigurations.of(HostsyncIntegrationAutoConfiguration.class))
                .withPropertyValues("hostsync.annotations.lock-registry=hostsyncLockRegistry")
                .withBean(Inventory.class)
                .run((context) -> {
                    RWLock registryLock = context.getBean(HostsyncLockRegistry.class)
                            .getRegion()
                            .lock(HostsyncLockRegistry.DEFAULT_FAMILY, this.region + ":default");
                    assertThat(context.getBean(Inventory.class).read(registryLock::isWriteLockedByCurrentThread))
                            .isTrue();
                });
    }

    @Test
    void whenTheLockRegistryBeanDoesNotExistThenStartupFailsNamingTheProperty() {
        inRegion().withPropertyValues("hostsync.annotations.lock-registry=redisLockRegistry")
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                    assertThat(invalid.getName()).isEqualTo("hostsync.annotations.lock-registry");
                    assertThat(invalid.getReason()).contains("no bean named 'redisLockRegistry'",
                            "there is no LockRegistry bean");
                }));
    }

    @Test
    void whenTheLockRegistryBeanIsNotALockRegistryThenStartupFailsNamingTheProperty() {
        inRegion().withPropertyValues("hostsync.annotations.lock-registry=notARegistry")
                .withBean("notARegistry", String.class, () -> "text")
                .withBean("recordingLockRegistry", RecordingLockRegistry.class)
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                    assertThat(invalid.getName()).isEqualTo("hostsync.annotations.lock-registry");
                    assertThat(invalid.getReason()).contains("java.lang.String, not a LockRegistry",
                            "recordingLockRegistry");
                }));
    }

    @Test
    void whenALockRegistryIsConfiguredWithoutSpringIntegrationThenStartupFailsSayingSo() {
        inRegion().withClassLoader(new FilteredClassLoader("org.springframework.integration"))
                .withPropertyValues("hostsync.annotations.lock-registry=redisLockRegistry")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .satisfies((failure) -> assertThat(invalidProperty(failure).getReason())
                                .contains("spring-integration-core")));
    }

    private static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
        return (InvalidConfigurationPropertyValueException) root;
    }

    /** A Spring Integration registry of in-JVM locks that records the keys asked for. */
    static class RecordingLockRegistry implements LockRegistry<Lock> {

        final List<String> keys = new CopyOnWriteArrayList<>();

        private final DefaultLockRegistry delegate = new DefaultLockRegistry();

        @Override
        public Lock obtain(Object lockKey) {
            this.keys.add(lockKey.toString());
            return this.delegate.obtain(lockKey);
        }
    }
}
