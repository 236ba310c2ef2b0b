package io.hostsync.autoconfigure.guard;

import java.util.function.Supplier;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.HostsyncPropertyNames;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder;
import io.hostsync.autoconfigure.observation.GuardedCallObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of the {@code @ReadGuarded} and {@code @WriteGuarded} annotations: a
 * {@link GuardedMethodAdvisor}, an auto-proxy creator to apply it (no AspectJ weaver needed),
 * and a check of the proxies it makes. On unless {@code hostsync.annotations.enabled} is false.
 *
 * <p>Annotated methods take hostsync locks of the regions of {@link HostsyncAutoConfiguration}
 * (or of any {@link SharedRegion} bean), or the locks of the Spring Integration
 * {@code LockRegistry} bean named by {@code hostsync.annotations.lock-registry}.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class)
@ConditionalOnClass(SharedRegion.class)
@ConditionalOnBooleanProperty(name = "hostsync.annotations.enabled", matchIfMissing = true)
@Import(GuardedMethodProxyRegistrar.class)
public final class HostsyncGuardAutoConfiguration {

    /**
     * The advisor that guards annotated methods. Static, with its collaborators looked up
     * lazily, because advisors are created while bean post-processors are: the regions are
     * created later, as ordinary beans.
     *
     * @param environment binds the {@code hostsync.*} properties and resolves placeholders in
     *     timeouts
     * @param beanFactory where the regions and any lock registry are
     * @return the advisor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static GuardedMethodAdvisor hostsyncGuardedMethodAdvisor(Environment environment,
            ConfigurableListableBeanFactory beanFactory) {
        HostsyncProperties properties = HostsyncPropertyNames.bind(environment);
        GuardRegions regions = new GuardRegions(beanFactory, properties);
        String lockRegistry = properties.getAnnotations().getLockRegistry();
        HostsyncProperties.Cohort.Engine cohortEngine = properties.getCohort().getEngine();
        Supplier<GuardLocks> locks = SingletonSupplier.of(() -> StringUtils.hasText(lockRegistry)
                ? LockRegistryGuardLocks.of(beanFactory, lockRegistry.trim(), beanFactory.getBeanClassLoader())
                : (cohortEngine != HostsyncProperties.Cohort.Engine.NONE)
                        ? new CohortGuardLocks(beanFactory, cohortEngine.name().toLowerCase(java.util.Locale.ROOT))
                        : new HostsyncGuardLocks(regions));
        GuardAttributeSource source = new GuardAttributeSource(environment, regions, locks);
        Supplier<HostsyncMetricsRecorder> recorder = SingletonSupplier.of(() -> beanFactory
                .getBeanProvider(HostsyncMetricsRecorder.class)
                .getIfAvailable(HostsyncMetricsRecorder::none));
        Supplier<GuardedCallObserver> observer = SingletonSupplier.of(() -> beanFactory
                .getBeanProvider(GuardedCallObserver.class)
                .getIfAvailable(GuardedCallObserver::none));
        GuardedMethodAdvisor advisor = new GuardedMethodAdvisor(source, () -> locks.get().verify(), recorder, observer);
        advisor.setOrder(properties.getAnnotations().getOrder());
        return advisor;
    }

    /**
     * The check that every guarded method of a proxied bean can be intercepted by its proxy, and
     * that a guarded bean can be proxied at all.
     *
     * @param environment tells whether beans get class-based proxies
     * @param advisor the advisor, looked up when a bean of a final class is checked
     * @return the check
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static GuardedProxyVerifier hostsyncGuardedProxyVerifier(Environment environment,
            ObjectProvider<GuardedMethodAdvisor> advisor) {
        return new GuardedProxyVerifier(GuardedMethodProxyRegistrar.proxiesClasses(environment), advisor);
    }
}
