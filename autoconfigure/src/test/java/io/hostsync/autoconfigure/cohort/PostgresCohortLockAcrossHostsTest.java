package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two-host contract over a real PostgreSQL 15, with leases in Spring Integration's
 * {@code INT_LOCK} table and the shared number in a table of the same database.
 */
class PostgresCohortLockAcrossHostsTest extends CohortLockAcrossHostsContract {

    private static EngineServers.Postgres server;

    private static TestEngine.PostgresEngine client;

    @BeforeAll
    static void startPostgres() throws Exception {
        server = new EngineServers.Postgres();
        client = (TestEngine.PostgresEngine) TestEngine.open("postgres", server.endpoint());
        client.createSchema();
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theExampleOfTheScalingOutPageTakesTheLeaseForTheHost() {
        DataSource dataSource = client.dataSource();
        String name = "cohort-example-" + Long.toHexString(System.nanoTime());
        try (SharedRegion region = SharedRegion.open(RegionOptions.builder(name).build())) {
            // tag::cohort[]
            RemoteLease.Factory leases = JdbcRemoteLease.factory(dataSource, "INT_", "DEFAULT");
            try (CohortLocks cohorts = new CohortLocks(region, leases, CohortSettings.DEFAULTS)) {
                CohortLock lock = cohorts.lock("rebuild");
                lock.writeLock().lock();
                try {
                    // exclusive across every process of every host
                    assertThat(lock.isHeldByHost()).isTrue();
                } finally {
                    lock.writeLock().unlock();
                }
            }
            // end::cohort[]
        } finally {
            SharedRegion.delete(RegionOptions.builder(name).build());
        }
    }

    @Override
    String engine() {
        return "postgres";
    }

    @Override
    String endpoint() {
        return server.endpoint();
    }

    @Override
    void stopEngine() {
        server.stopImmediately();
    }

    @Override
    void startEngine() {
        server.start();
    }

    @Override
    long value() {
        return client.value();
    }

    @Override
    void reset() {
        client.setValue(0);
    }
}
