package io.hostsync.autoconfigure.cohort;

import java.time.Duration;

import javax.sql.DataSource;

import io.lettuce.core.ClientOptions;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock engine as the test workers use it: its leases, and one number of shared data kept in the
 * same engine, which writers read and then set to one more (a lost update shows in the final count).
 */
abstract class TestEngine implements AutoCloseable {

    static final String DATA_KEY = "hostsync-test:value";

    /** The registry key of the Redis leases. */
    static final String REGISTRY_KEY = "hostsync-test";

    abstract RemoteLease.Factory leases();

    abstract long value();

    abstract void setValue(long value);

    @Override
    public void close() {
    }

    static TestEngine open(String kind, String endpoint) {
        return switch (kind) {
            case "redis" -> new RedisEngine(endpoint);
            case "postgres" -> new PostgresEngine(endpoint);
            default -> throw new IllegalArgumentException("Unknown engine " + kind + ": use redis or postgres");
        };
    }

    static final class RedisEngine extends TestEngine {

        private final LettuceConnectionFactory connections;

        private final StringRedisTemplate redis;

        RedisEngine(String endpoint) {
            String[] hostAndPort = endpoint.split(":");
            LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                    .commandTimeout(Duration.ofSeconds(2))
                    .clientOptions(ClientOptions.builder()
                            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build())
                    .build();
            this.connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(hostAndPort[0], Integer.parseInt(hostAndPort[1])), client);
            this.connections.afterPropertiesSet();
            this.connections.start();
            this.redis = new StringRedisTemplate(this.connections);
        }

        private final java.util.List<RemoteLease.Factory> factories = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        RemoteLease.Factory leases() {
            RemoteLease.Factory factory = RedisRemoteLease.factory(this.connections, REGISTRY_KEY);
            this.factories.add(factory);
            return factory;
        }

        StringRedisTemplate redis() {
            return this.redis;
        }

        LettuceConnectionFactory connections() {
            return this.connections;
        }

        @Override
        long value() {
            String value = this.redis.opsForValue().get(DATA_KEY);
            return (value != null) ? Long.parseLong(value) : 0;
        }

        @Override
        void setValue(long value) {
            this.redis.opsForValue().set(DATA_KEY, String.valueOf(value));
        }

        @Override
        public void close() {
            this.factories.forEach(RemoteLease.Factory::close);
            this.connections.destroy();
        }
    }

    static final class PostgresEngine extends TestEngine {

        private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

        private final JdbcTemplate jdbc;

        PostgresEngine(String url) {
            this.dataSource.setUrl(url);
            this.jdbc = new JdbcTemplate(this.dataSource);
        }

        DataSource dataSource() {
            return this.dataSource;
        }

        /** Creates Spring Integration's lock table and the data table. */
        void createSchema() throws Exception {
            String schema;
            try (var in = org.springframework.integration.jdbc.lock.DefaultLockRepository.class
                    .getResourceAsStream("/org/springframework/integration/jdbc/schema-postgresql.sql")) {
                schema = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            for (String statement : schema.split(";")) {
                if (statement.contains("INT_LOCK")) {
                    this.jdbc.execute(statement);
                }
            }
            this.jdbc.execute("CREATE TABLE cohort_data (name VARCHAR(100) PRIMARY KEY, value BIGINT NOT NULL)");
            this.jdbc.update("INSERT INTO cohort_data VALUES (?, 0)", DATA_KEY);
        }

        @Override
        RemoteLease.Factory leases() {
            return JdbcRemoteLease.factory(this.dataSource, "INT_", "hostsync-test");
        }

        @Override
        long value() {
            Long value = this.jdbc.queryForObject("SELECT value FROM cohort_data WHERE name = ?", Long.class, DATA_KEY);
            return (value != null) ? value : 0;
        }

        @Override
        void setValue(long value) {
            this.jdbc.update("UPDATE cohort_data SET value = ? WHERE name = ?", value, DATA_KEY);
        }
    }
}
