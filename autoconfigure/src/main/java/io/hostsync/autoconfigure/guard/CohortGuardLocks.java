package io.hostsync.autoconfigure.guard;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hostsync.autoconfigure.cohort.CohortLock;
import io.hostsync.autoconfigure.cohort.HostsyncCohorts;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.function.SingletonSupplier;

/**
 * Guards methods with cohort locks, when {@code hostsync.cohort.engine} is set: the host's
 * hostsync lock plus a lease in the database or Redis, so that {@code @ReadGuarded} readers of one
 * host still share the lock, and writers exclude every process of every host.
 */
final class CohortGuardLocks implements GuardLocks {

    static final String PROPERTY = "hostsync.cohort.engine";

    private final String engine;

    private final SingletonSupplier<HostsyncCohorts> cohorts;

    CohortGuardLocks(ListableBeanFactory beanFactory, String engine) {
        this.engine = engine;
        this.cohorts = SingletonSupplier.of(() -> {
            try {
                return beanFactory.getBean(HostsyncCohorts.class);
            } catch (NoSuchBeanDefinitionException ex) {
                throw new InvalidConfigurationPropertyValueException(PROPERTY, engine,
                        "Cohort locks need spring-integration-jdbc and a DataSource bean (engine jdbc), or"
                                + " spring-integration-redis and a RedisConnectionFactory bean (engine redis). Add them,"
                                + " or remove the property to use host-wide locks.");
            }
        });
    }

    @Override
    public Supplier<Lock> lock(String region, String lock, Guard.Mode mode, String method) {
        CohortLock cohortLock = this.cohorts.obtain().lock(region, lock);
        Lock taken = (mode == Guard.Mode.READ) ? cohortLock.readLock() : cohortLock.writeLock();
        return () -> taken;
    }

    @Override
    public Function<Object, Lock> keyedLocks(String region, String family, Guard.Mode mode, String method) {
        if (family.length() + ".cohort".length() > io.hostsync.Names.MAX_LOCK_LENGTH) {
            throw new InvalidGuardException(method + " locks keys of lock family '" + family + "', too long for a"
                    + " cohort lock (hostsync.cohort.engine=" + this.engine + "): its gate '" + family
                    + ".cohort' must be at most " + io.hostsync.Names.MAX_LOCK_LENGTH
                    + " characters. Give a shorter family name.");
        }
        return (key) -> {
            CohortLock cohortLock = this.cohorts.obtain().lock(region, family, key);
            return (mode == Guard.Mode.READ) ? cohortLock.readLock() : cohortLock.writeLock();
        };
    }

    @Override
    public String describe(String region, String lock, Guard.Mode mode) {
        return "the " + mode.word() + " lock of cohort lock '" + lock + "' in region '" + region + "' (the host's lock"
                + " plus a lease in " + this.engine + ")";
    }

    @Override
    public void verify() {
        this.cohorts.obtain();
    }
}
