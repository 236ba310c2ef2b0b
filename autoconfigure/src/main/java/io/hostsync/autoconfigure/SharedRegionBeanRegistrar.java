package io.hostsync.autoconfigure;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link SharedRegion} bean definition per configured region. A registrar rather
 * than {@code @Bean} methods, because how many beans there are depends on the configuration; it
 * binds {@link HostsyncProperties} itself, as the properties bean does not exist yet.
 */
final class SharedRegionBeanRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    SharedRegionBeanRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        HostsyncProperties properties = Binder.get(this.environment)
            .bindOrCreate(HostsyncProperties.PREFIX, HostsyncProperties.class);
        for (ConfiguredRegion region : ConfiguredRegion.resolve(properties)) {
            RegionOptions options = region.options();
            registry.registerBeanDefinition(HostsyncAutoConfiguration.regionBeanName(options.name()),
                    beanDefinition(region));
        }
    }

    private static RootBeanDefinition beanDefinition(ConfiguredRegion region) {
        RegionOptions options = region.options();
        RootBeanDefinition definition = new RootBeanDefinition(SharedRegion.class, () -> SharedRegion.open(options));
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, options.name()));
        definition.setPrimary(region.primary());
        definition.setDestroyMethodName("close");
        // Opened at startup even with lazy initialization, so that a region that cannot be opened fails startup.
        definition.setLazyInit(false);
        return definition;
    }
}
