package io.hostsync.autoconfigure;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean definition per configured region: its {@link SharedRegion}, its
 * {@link SharedState} or its default {@link RWLock}, each qualified by the region name and
 * primary for the default region. A registrar rather than {@code @Bean} methods, because how
 * many beans there are depends on the configuration; it binds {@link HostsyncProperties} itself,
 * as the properties bean does not exist yet, through {@link HostsyncPropertyNames}, which refuses
 * region names that binding would drop or change. One subclass per bean type, so that each type
 * backs off on its own {@code @ConditionalOnMissingBean}.
 *
 * <p>The definitions name a factory method and its arguments, never an instance supplier, so
 * that Spring's AOT processing ({@code process-aot}) can write them as code: a region bean is
 * made by {@link Regions#open(String, HostsyncProperties)} from the region name and the
 * properties bean; its state and lock beans by {@link SharedRegion#state()} and
 * {@link SharedRegion#lock()} on the region bean. Which regions exist is then decided when the
 * application is processed, as with any condition; their settings are still read at startup.
 */
abstract sealed class RegionBeanRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    RegionBeanRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        HostsyncProperties properties = HostsyncPropertyNames.bind(this.environment);
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

    static RootBeanDefinition qualified(RootBeanDefinition definition, Class<?> type, ConfiguredRegion region) {
        // The type the bean is matched by before it is created, as for a @Bean method.
        definition.setTargetType(type);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, region.options().name()));
        definition.setPrimary(region.primary());
        return definition;
    }

    /**
     * A bean made by calling a method of its region bean, which it depends on, so that it is
     * destroyed first.
     */
    static RootBeanDefinition fromRegion(Class<?> type, String regionMethod, ConfiguredRegion region) {
        String regionBeanName = HostsyncAutoConfiguration.regionBeanName(region.options().name());
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setFactoryBeanName(regionBeanName);
        definition.setFactoryMethodName(regionMethod);
        definition.setDependsOn(regionBeanName);
        return qualified(definition, type, region);
    }

    /** Registers the {@link SharedRegion} beans, opened at startup and closed with the context. */
    static final class Regions extends RegionBeanRegistrar {

        Regions(Environment environment) {
            super(environment);
        }

        /**
         * Opens a region bean: the factory method of its bean definition. Resolves the region
         * again from the properties bean, so that its settings are those of startup, also when
         * the bean definitions were written ahead of time.
         *
         * @param regionName the region name, as under {@code hostsync.regions}
         * @param properties the bound properties
         * @return the open region
         * @throws IllegalStateException if the region is no longer configured
         */
        static SharedRegion open(String regionName, HostsyncProperties properties) {
            for (ConfiguredRegion region : ConfiguredRegion.resolve(properties)) {
                if (region.options().name().equals(regionName)) {
                    return region.open();
                }
            }
            throw new IllegalStateException("Region '" + regionName + "' has a bean but is not configured under "
                    + ConfiguredRegion.propertyName(regionName, null) + ". The regions of an application processed"
                    + " ahead of time (process-aot, native images) are those configured when it was processed:"
                    + " configure the region again, or process the application again with the regions it runs with.");
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
            RootBeanDefinition definition = new RootBeanDefinition(Regions.class);
            definition.setFactoryMethodName("open");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, region.options().name());
            definition.getConstructorArgumentValues()
                    .addIndexedArgumentValue(1, new RuntimeBeanReference(HostsyncProperties.class));
            qualified(definition, SharedRegion.class, region);
            definition.setDestroyMethodName("close");
            // Opened at startup even with lazy initialization, so that a region that cannot be opened fails startup.
            definition.setLazyInit(false);
            return definition;
        }
    }

    /** Registers the {@link SharedState} beans, one per region bean. */
    static final class States extends RegionBeanRegistrar {

        States(Environment environment) {
            super(environment);
        }

        @Override
        String beanName(String regionName) {
            return HostsyncAutoConfiguration.stateBeanName(regionName);
        }

        @Override
        RootBeanDefinition beanDefinition(ConfiguredRegion region) {
            return fromRegion(SharedState.class, "state", region);
        }
    }

    /** Registers the beans of the regions' default {@link RWLock}, one per region bean. */
    static final class Locks extends RegionBeanRegistrar {

        Locks(Environment environment) {
            super(environment);
        }

        @Override
        String beanName(String regionName) {
            return HostsyncAutoConfiguration.lockBeanName(regionName);
        }

        @Override
        RootBeanDefinition beanDefinition(ConfiguredRegion region) {
            return fromRegion(RWLock.class, "lock", region);
        }
    }
}
