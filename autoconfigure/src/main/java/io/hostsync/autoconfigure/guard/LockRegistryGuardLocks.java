package io.hostsync.autoconfigure.guard;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Guards methods with the locks of a Spring Integration {@link LockRegistry} bean (Redis, JDBC,
 * ZooKeeper...), named by {@code hostsync.annotations.lock-registry}: the lock for the key
 * {@code <region>:<lock>}, obtained at each call as the registry expects. Such locks are
 * exclusive, so {@code @ReadGuarded} methods exclude each other too.
 *
 * <p>Loaded only when the property is set, so that Spring Integration stays optional.
 */
final class LockRegistryGuardLocks implements GuardLocks {

    /** The property that names the registry bean. */
    static final String PROPERTY = "hostsync.annotations.lock-registry";

    static final String LOCK_REGISTRY_CLASS = "org.springframework.integration.support.locks.LockRegistry";

    private final ListableBeanFactory beanFactory;

    private final String beanName;

    private final SingletonSupplier<LockRegistry<?>> registry = SingletonSupplier.of(this::lookUp);

    private LockRegistryGuardLocks(ListableBeanFactory beanFactory, String beanName) {
        this.beanFactory = beanFactory;
        this.beanName = beanName;
    }

    /**
     * Returns the locks of the registry bean of the given name.
     *
     * @param beanFactory where the registry bean is
     * @param beanName the registry bean's name
     * @param classLoader the application's class loader
     * @return the locks
     * @throws InvalidConfigurationPropertyValueException if Spring Integration is missing
     */
    static GuardLocks of(ListableBeanFactory beanFactory, String beanName, @Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(LOCK_REGISTRY_CLASS, classLoader)) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, beanName,
                    "Spring Integration (org.springframework.integration:spring-integration-core) is not on the class"
                            + " path. Add it and define the LockRegistry bean, or remove the property to use hostsync"
                            + " locks.");
        }
        return new LockRegistryGuardLocks(beanFactory, beanName);
    }

    /**
     * Returns the registry key of a lock: the region and lock names joined by a colon, which
     * neither may contain, so that two different locks never share a key.
     *
     * @param region the region name
     * @param lock the lock name
     * @return the key, such as {@code orders:default}
     */
    static String key(String region, String lock) {
        return region + ":" + lock;
    }

    @Override
    public Supplier<Lock> lock(String region, String lock, Guard.Mode mode, String method) {
        String key = key(region, lock);
        return () -> registry().obtain(key);
    }

    /** A key's registry key is {@code <region>:<family>:<key>}: region and family names contain no colon. */
    @Override
    public Function<Object, Lock> keyedLocks(String region, String family, Guard.Mode mode, String method) {
        String prefix = key(region, family) + ":";
        return (key) -> registry().obtain(prefix + key);
    }

    @Override
    public String describe(String region, String lock, Guard.Mode mode) {
        return "the lock '" + key(region, lock) + "' of LockRegistry bean '" + this.beanName
                + "' (exclusive, taken for a "
                + mode.word() + ")";
    }

    @Override
    public void verify() {
        registry();
    }

    private LockRegistry<?> registry() {
        return this.registry.obtain();
    }

    private LockRegistry<?> lookUp() {
        try {
            return this.beanFactory.getBean(this.beanName, LockRegistry.class);
        } catch (NoSuchBeanDefinitionException ex) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, this.beanName,
                    "There is no bean named '" + this.beanName + "'. " + advice());
        } catch (BeanNotOfRequiredTypeException ex) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, this.beanName,
                    "Bean '" + this.beanName + "' is a " + ex.getActualType().getName() + ", not a LockRegistry. "
                            + advice());
        }
    }

    private String advice() {
        String[] registries = this.beanFactory.getBeanNamesForType(LockRegistry.class);
        String known = (registries.length > 0) ? "the LockRegistry beans are: " + String.join(", ", registries)
                : "there is no LockRegistry bean";
        return "Name a LockRegistry bean (" + known + "), or remove the property to use hostsync locks.";
    }
}
