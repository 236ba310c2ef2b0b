package io.hostsync.autoconfigure.cohort;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The two-host contract over a real redis-server, with leases in Redis and the shared number in Redis. */
class RedisCohortLockAcrossHostsTest extends CohortLockAcrossHostsContract {

    private static EngineServers.Redis server;

    private static TestEngine client;

    @BeforeAll
    static void startRedis() throws Exception {
        server = new EngineServers.Redis();
        client = TestEngine.open("redis", server.endpoint());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    String engine() {
        return "redis";
    }

    @Override
    String endpoint() {
        return server.endpoint();
    }

    @Override
    void stopEngine() throws Exception {
        server.kill();
    }

    @Override
    void startEngine() throws Exception {
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
