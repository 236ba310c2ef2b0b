package io.hostsync.autoconfigure;

import java.util.function.Supplier;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean definition per configured region: its {@link SharedRegion}, its
 * {@link SharedState} or its default {@link RWLock}, each qualified by the region name and
 * primary for the default region. A registrar rather than {@code @Bean} methods, because how
 * many beans there are depends on the configuration; it binds {@link HostsyncProperties} itself,
 * as the properties bean does not exist yet. One subclass per bean type, so that each type
 * backs off on its own {@code @ConditionalOnMissingBean}.
 */
abstract sealed class RegionBeanRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    private final BeanFactory beanFactory;

    RegionBeanRegistrar(Environment environment, BeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        HostsyncProperties properties = Binder.get(this.environment)
            .bindOrCreate(HostsyncProperties.PREFIX, HostsyncProperties.class);
        for (ConfiguredRegion region : ConfiguredRegion.resolve(properties)) {
            String regionName = region.options().name();
            if (isRegistered(registry, regionName)) {
                registry.registerBeanDefinition(beanName(regionName), beanDefinition(region));
            }
        }
    }

    /** Whether to register this type's bean for a region; false when the region bean backed off. */
    boolean isRegistered(BeanDefinitionRegistry registry, String regionName) {
        return registry.containsBeanDefinition(HostsyncAutoConfiguration.regionBeanName(regionName));
    }

    abstract String beanName(String regionName);

    abstract RootBeanDefinition beanDefinition(ConfiguredRegion region);

    /** The region bean, looked up when a bean made from it is created. */
    SharedRegion region(String regionName) {
        return this.beanFactory.getBean(HostsyncAutoConfiguration.regionBeanName(regionName), SharedRegion.class);
    }

    static <T> RootBeanDefinition qualified(Class<T> type, Supplier<T> supplier, ConfiguredRegion region) {
        RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, region.options().name()));
        definition.setPrimary(region.primary());
        return definition;
    }

    /** A bean made from its region bean, which it depends on, so that it is destroyed first. */
    <T> RootBeanDefinition fromRegion(Class<T> type, Supplier<T> supplier, ConfiguredRegion region) {
        RootBeanDefinition definition = qualified(type, supplier, region);
        definition.setDependsOn(HostsyncAutoConfiguration.regionBeanName(region.options().name()));
        return definition;
    }

    /** Registers the {@link SharedRegion} beans, opened at startup and closed with the context. */
    static final class Regions extends RegionBeanRegistrar {

        Regions(Environment environment, BeanFactory beanFactory) {
            super(environment, beanFactory);
        }

        @Override
        boolean isRegistered(BeanDefinitionRegistry registry, String regionName) {
            return true;
        }

        @Override
        String beanName(String regionName) {
            return HostsyncAutoConfiguration.regionBeanName(regionName);
        }

        @Override
        RootBeanDefinition beanDefinition(ConfiguredRegion region) {
            RootBeanDefinition definition = qualified(SharedRegion.class, region::open, region);
            definition.setDestroyMethodName("close");
            // Opened at startup even with lazy initialization, so that a region that cannot be opened fails startup.
            definition.setLazyInit(false);
            return definition;
        }
    }

    /** Registers the {@link SharedState} beans, one per region bean. */
    static final class States extends RegionBeanRegistrar {

        States(Environment environment, BeanFactory beanFactory) {
            super(environment, beanFactory);
        }

        @Override
        String beanName(String regionName) {
            return HostsyncAutoConfiguration.stateBeanName(regionName);
        }

        @Override
        RootBeanDefinition beanDefinition(ConfiguredRegion region) {
            String regionName = region.options().name();
            return fromRegion(SharedState.class, () -> region(regionName).state(), region);
        }
    }

    /** Registers the beans of the regions' default {@link RWLock}, one per region bean. */
    static final class Locks extends RegionBeanRegistrar {

        Locks(Environment environment, BeanFactory beanFactory) {
            super(environment, beanFactory);
        }

        @Override
        String beanName(String regionName) {
            return HostsyncAutoConfiguration.lockBeanName(regionName);
        }

        @Override
        RootBeanDefinition beanDefinition(ConfiguredRegion region) {
            String regionName = region.options().name();
            return fromRegion(RWLock.class, () -> region(regionName).lock(), region);
        }
    }
}
