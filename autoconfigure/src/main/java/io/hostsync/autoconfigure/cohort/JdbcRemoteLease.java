package io.hostsync.autoconfigure.cohort;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Leases in Spring Integration's lock table ({@code INT_LOCK}, created by its
 * {@code schema-*.sql}), through its {@link DefaultLockRepository} whose client id is the host's
 * identity: every process of the host writes the same {@code CLIENT_ID}, so any of them may
 * renew or delete a row another acquired, and a {@link JdbcLockRegistry} on the same table and
 * region excludes the whole host, as another client. Keys become UUIDs as the registry makes them
 * ({@code LOCK_KEY} is a {@code CHAR(36)}), so the same key means the same row for both.
 *
 * <p>Expiry times are written from this JVM's wall clock and compared with the other hosts':
 * their clocks must agree to well within the lease time.
 */
public final class JdbcRemoteLease implements RemoteLease {

    private final DefaultLockRepository repository;

    private final String description;

    private JdbcRemoteLease(DefaultLockRepository repository, String description) {
        this.repository = repository;
        this.description = description;
    }

    /**
     * Returns a factory of leases in the lock table of a data source.
     *
     * @param dataSource the database every host reaches
     * @param tablePrefix the lock table's prefix ({@code INT_} for {@code INT_LOCK})
     * @param region the value of the table's {@code REGION} column, as a {@link DefaultLockRepository}'s region
     * @return the factory
     */
    public static RemoteLease.Factory factory(DataSource dataSource, String tablePrefix, String region) {
        return (hostId) -> {
            DefaultLockRepository repository = new DefaultLockRepository(dataSource, hostId);
            repository.setPrefix(tablePrefix);
            repository.setRegion(region);
            repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
            repository.afterPropertiesSet();
            repository.afterSingletonsInstantiated();
            return new JdbcRemoteLease(repository,
                    "the " + tablePrefix + "LOCK table (region '" + region + "', client id '" + hostId + "')");
        };
    }

    @Override
    public boolean acquire(String key, Duration leaseTime) {
        return this.repository.acquire(row(key), leaseTime);
    }

    @Override
    public boolean renew(String key, Duration leaseTime) {
        return this.repository.renew(row(key), leaseTime);
    }

    @Override
    public boolean release(String key) {
        return this.repository.delete(row(key));
    }

    private static String row(String key) {
        return UUIDConverter.getUUID(key).toString();
    }

    @Override
    public String describe() {
        return this.description;
    }
}
