package io.hostsync.autoconfigure;

import io.hostsync.SharedRegion;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration for hostsync: opens one {@link SharedRegion} bean for each region configured
 * under {@code hostsync.regions}, or one region named {@value HostsyncProperties#DEFAULT_REGION_NAME}
 * when none is.
 *
 * <p>Each region bean is named {@code hostsyncRegion-<name>} (see {@link #regionBeanName(String)})
 * and qualified by its region name, so that {@code @Qualifier("orders") SharedRegion orders}
 * injects the region {@code orders}. The default region is primary and is injected where no
 * qualifier is given. Regions are opened when the context starts, so that a region that cannot be
 * opened fails startup, and closed when the context closes.
 *
 * <p>Defining any {@link SharedRegion} bean of your own turns the region beans off.
 *
 * @see HostsyncProperties
 */
@AutoConfiguration
@ConditionalOnClass(SharedRegion.class)
@EnableConfigurationProperties(HostsyncProperties.class)
public final class HostsyncAutoConfiguration {

    private static final String REGION_BEAN_NAME_PREFIX = "hostsyncRegion-";

    /**
     * Returns the name of the bean that holds a region.
     *
     * @param regionName the region name, as under {@code hostsync.regions}
     * @return the bean name, {@code hostsyncRegion-<regionName>}
     */
    public static String regionBeanName(String regionName) {
        return REGION_BEAN_NAME_PREFIX + regionName;
    }

    /**
     * Returns the region name that a bean name was made from by {@link #regionBeanName(String)}.
     *
     * @param beanName a bean name
     * @return the region name, or {@code null} if the bean is not a region bean of this class
     */
    static String regionNameOf(String beanName) {
        return (beanName != null && beanName.startsWith(REGION_BEAN_NAME_PREFIX))
                ? beanName.substring(REGION_BEAN_NAME_PREFIX.length()) : null;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SharedRegion.class)
    @Import(SharedRegionBeanRegistrar.class)
    static class SharedRegionConfiguration {

    }
}
