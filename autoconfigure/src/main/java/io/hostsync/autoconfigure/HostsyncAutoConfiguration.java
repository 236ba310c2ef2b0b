package io.hostsync.autoconfigure;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration for hostsync: opens one {@link SharedRegion} bean for each region configured
 * under {@code hostsync.regions}, or one region named {@value HostsyncProperties#DEFAULT_REGION_NAME}
 * when none is, with its {@link SharedState} and its default {@link RWLock}.
 *
 * <p>The beans of a region are named {@code hostsyncRegion-<name>}, {@code hostsyncState-<name>}
 * and {@code hostsyncLock-<name>} (see {@link #regionBeanName(String)},
 * {@link #stateBeanName(String)} and {@link #lockBeanName(String)}) and qualified by the region
 * name, so that {@code @Qualifier("orders") RWLock lock} injects the default lock of the region
 * {@code orders}. The beans of the default region are primary and are injected where no
 * qualifier is given. Regions are opened, and their configured named locks created, when the
 * context starts, so that a region that cannot be opened fails startup; they are closed when
 * the context closes.
 *
 * <p>Each kind of bean backs off on its own: defining any {@link SharedRegion} bean of your own
 * turns all three off; defining a {@link SharedState} or an {@link RWLock} bean turns off only
 * that kind.
 *
 * @see HostsyncProperties
 */
@AutoConfiguration
@ConditionalOnClass(SharedRegion.class)
@EnableConfigurationProperties(HostsyncProperties.class)
@Import({ RegionConfigurations.SharedRegionConfiguration.class, RegionConfigurations.SharedStateConfiguration.class,
        RegionConfigurations.RWLockConfiguration.class })
public final class HostsyncAutoConfiguration {

    private static final String REGION_BEAN_NAME_PREFIX = "hostsyncRegion-";

    private static final String STATE_BEAN_NAME_PREFIX = "hostsyncState-";

    private static final String LOCK_BEAN_NAME_PREFIX = "hostsyncLock-";

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
     * Returns the name of the bean that holds a region's {@link SharedState}.
     *
     * @param regionName the region name, as under {@code hostsync.regions}
     * @return the bean name, {@code hostsyncState-<regionName>}
     */
    public static String stateBeanName(String regionName) {
        return STATE_BEAN_NAME_PREFIX + regionName;
    }

    /**
     * Returns the name of the bean that holds a region's default {@link RWLock}.
     *
     * @param regionName the region name, as under {@code hostsync.regions}
     * @return the bean name, {@code hostsyncLock-<regionName>}
     */
    public static String lockBeanName(String regionName) {
        return LOCK_BEAN_NAME_PREFIX + regionName;
    }

    /**
     * Returns the region name that a bean name was made from by {@link #regionBeanName(String)}.
     *
     * @param beanName a bean name
     * @return the region name, or {@code null} if the bean is not a region bean of this class
     */
    static @Nullable String regionNameOf(@Nullable String beanName) {
        return (beanName != null && beanName.startsWith(REGION_BEAN_NAME_PREFIX))
                ? beanName.substring(REGION_BEAN_NAME_PREFIX.length())
                : null;
    }
}
