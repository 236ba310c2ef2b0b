package io.hostsync.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.Lock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hostsync.autoconfigure.cohort.JdbcRemoteLease;
import io.hostsync.autoconfigure.cohort.RedisRemoteLease;
import io.hostsync.autoconfigure.cohort.RemoteLease;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The lock engine of {@link CohortLockBenchmark}: {@code redis} (a {@link RedisServer}) or
 * {@code jdbc} (a {@link PostgresServer} with Spring Integration's {@code INT_LOCK} table). The
 * benchmark's process starts the server for the trial ({@link #start}) and counts the operations
 * the server performed; every contending process connects to it ({@link #connect}) for a cohort
 * lock's leases or for the plain registry's lock.
 */
abstract class CohortEngine implements AutoCloseable {

    /** The cohort lock's name, and the key of the plain registries' lock. */
    static final String LOCK = "bench";

    /** The pause between two attempts at a lock another process holds: the cohort lock's and the JDBC registry's. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(5);

    /**
     * Starts the server of an engine.
     *
     * @param name {@code redis} or {@code jdbc}
     * @return the running engine
     */
    static CohortEngine start(String name) {
        return switch (name) {
            case "redis" -> new Redis(RedisServer.start());
            case "jdbc" -> Jdbc.start();
            default -> throw new IllegalArgumentException("engine " + name + ": redis or jdbc");
        };
    }

    /** @return what a {@link Client} connects to: the Redis port, or the JDBC URL */
    abstract String endpoint();

    /** @return the operations the server has counted since it started (commands, or transactions) */
    abstract long operations();

    /** @return the name of {@link #operations()} in the benchmark's output */
    abstract String operationsName();

    /** Stops the server and deletes its files. */
    @Override
    public abstract void close();

    /**
     * Connects one contending process to an engine's server.
     *
     * @param name {@code redis} or {@code jdbc}
     * @param endpoint what {@link #endpoint()} returned
     * @return the process's client
     */
    static Client connect(String name, String endpoint) {
        return switch (name) {
            case "redis" -> new RedisClient(Integer.parseInt(endpoint));
            case "jdbc" -> new JdbcClient(endpoint);
            default -> throw new IllegalArgumentException("engine " + name + ": redis or jdbc");
        };
    }

    /** One process's connection to the engine. */
    interface Client extends AutoCloseable {

        /** @return the leases of a cohort lock through this connection */
        RemoteLease.Factory leases();

        /** @return the lock of the engine's plain Spring Integration registry, this process's own */
        Lock registryLock();

        @Override
        void close();
    }

    private static final class Redis extends CohortEngine {

        private final RedisServer server;

        Redis(RedisServer server) {
            this.server = server;
        }

        @Override
        String endpoint() {
            return String.valueOf(this.server.port());
        }

        @Override
        long operations() {
            LettuceConnectionFactory connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", this.server.port()));
            connections.afterPropertiesSet();
            connections.start();
            try (RedisConnection connection = connections.getConnection()) {
                return Long.parseLong(
                        connection.serverCommands().info("stats").getProperty("total_commands_processed"));
            } finally {
                connections.destroy();
            }
        }

        @Override
        String operationsName() {
            return "redisCommands";
        }

        @Override
        public void close() {
            this.server.close();
        }
    }

    private static final class Jdbc extends CohortEngine {

        private final PostgresServer server;

        private Jdbc(PostgresServer server) {
            this.server = server;
        }

        static Jdbc start() {
            PostgresServer server = PostgresServer.start();
            try (Connection connection = DriverManager.getConnection(server.url());
                    Statement statement = connection.createStatement()) {
                String schema;
                try (InputStream in = DefaultLockRepository.class
                        .getResourceAsStream("/org/springframework/integration/jdbc/schema-postgresql.sql")) {
                    schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String sql : schema.split(";")) {
                    if (sql.contains("INT_LOCK")) {
                        statement.execute(sql);
                    }
                }
                return new Jdbc(server);
            } catch (SQLException | IOException | RuntimeException e) {
                server.close();
                throw new IllegalStateException("Could not create INT_LOCK in " + server.url(), e);
            }
        }

        @Override
        String endpoint() {
            return this.server.url();
        }

        /**
         * Transactions committed and rolled back in the database, from {@code pg_stat_database}.
         * Backends report theirs when idle for a second or when they exit: read after the clients
         * have closed, or a second late.
         */
        @Override
        long operations() {
            try (Connection connection = DriverManager.getConnection(this.server.url());
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT xact_commit + xact_rollback FROM"
                            + " pg_stat_database WHERE datname = current_database()")) {
                result.next();
                return result.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read pg_stat_database", e);
            }
        }

        @Override
        String operationsName() {
            return "pgTransactions";
        }

        @Override
        public void close() {
            this.server.close();
        }
    }

    private static final class RedisClient implements Client {

        private final LettuceConnectionFactory connections;

        RedisClient(int port) {
            this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
            this.connections.afterPropertiesSet();
            this.connections.start();
        }

        @Override
        public RemoteLease.Factory leases() {
            return RedisRemoteLease.factory(this.connections, LOCK);
        }

        /** The registry in its {@code PUB_SUB_LOCK} mode, its fastest. */
        @Override
        public Lock registryLock() {
            RedisLockRegistry registry = new RedisLockRegistry(this.connections, LOCK, Duration.ofSeconds(30));
            registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
            return registry.obtain(LOCK + ":" + LOCK);
        }

        @Override
        public void close() {
            this.connections.destroy();
        }
    }

    /**
     * A small HikariCP pool (at most 4 connections: the acquiring thread and the cohort lock's
     * renewals need 2).
     */
    private static final class JdbcClient implements Client {

        private final HikariDataSource dataSource;

        private DefaultLockRepository repository;

        JdbcClient(String url) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(1);
            config.setPoolName("cohort-bench");
            this.dataSource = new HikariDataSource(config);
        }

        @Override
        public RemoteLease.Factory leases() {
            return JdbcRemoteLease.factory(this.dataSource, "INT_", "DEFAULT");
        }

        /**
         * A {@link JdbcLockRegistry} over a {@link DefaultLockRepository} of its own (a random
         * client id: this process), polling every {@link #RETRY_INTERVAL} like the cohort lock
         * (its default is 100 ms).
         */
        @Override
        public Lock registryLock() {
            this.repository = new DefaultLockRepository(this.dataSource);
            this.repository.setTransactionManager(new DataSourceTransactionManager(this.dataSource));
            this.repository.afterPropertiesSet();
            this.repository.afterSingletonsInstantiated();
            JdbcLockRegistry registry = new JdbcLockRegistry(this.repository, Duration.ofSeconds(30));
            registry.setIdleBetweenTries(RETRY_INTERVAL);
            return registry.obtain(LOCK);
        }

        @Override
        public void close() {
            if (this.repository != null) {
                this.repository.close();
            }
            this.dataSource.close();
        }
    }
}
