package io.hostsync.autoconfigure.cohort;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
