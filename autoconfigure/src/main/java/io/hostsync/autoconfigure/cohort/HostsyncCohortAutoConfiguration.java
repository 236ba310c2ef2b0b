package io.hostsync.autoconfigure.cohort;

import javax.sql.DataSource;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.HostsyncPropertyNames;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Auto-configuration of cohort locks when {@code hostsync.cohort.engine} is {@code jdbc} or
 * {@code redis}: the engine's leases, a {@link HostsyncCohorts} that {@code @ReadGuarded} and
 * {@code @WriteGuarded} then take their locks from, and a {@link CohortLockRegistry} over the
 * default region.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" }, beforeName = "io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration")
@ConditionalOnClass({ LockRegistry.class, SharedRegion.class })
@ConditionalOnExpression("'${hostsync.cohort.engine:none}'.toLowerCase() != 'none'")
@Import({ HostsyncCohortAutoConfiguration.Jdbc.class, HostsyncCohortAutoConfiguration.Redis.class,
        HostsyncCohortAutoConfiguration.Cohorts.class, HostsyncCohortAutoConfiguration.Metrics.class,
        HostsyncCohortAutoConfiguration.HealthIndicators.class })
public final class HostsyncCohortAutoConfiguration {

    static CohortSettings settings(Environment environment) {
        HostsyncProperties.Cohort cohort = HostsyncPropertyNames.bind(environment).getCohort();
        return new CohortSettings(cohort.getLeaseTime(), cohort.getLocalHandoffs(), cohort.getAcquireTimeout(),
                cohort.getRetryInterval());
    }

    /** Leases in Spring Integration's lock table, through the application's DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DefaultLockRepository.class)
    @ConditionalOnProperty(name = "hostsync.cohort.engine", havingValue = "jdbc")
    static class Jdbc {

        @Bean
        @ConditionalOnMissingBean
        RemoteLease.Factory hostsyncCohortLeases(DataSource dataSource, Environment environment) {
            HostsyncProperties.Cohort cohort = HostsyncPropertyNames.bind(environment).getCohort();
            return JdbcRemoteLease.factory(dataSource, cohort.getJdbcTablePrefix(), cohort.getJdbcRegion());
        }
    }

    /** Leases in Redis, through the application's RedisConnectionFactory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisLockRegistry.class)
    @ConditionalOnProperty(name = "hostsync.cohort.engine", havingValue = "redis")
    static class Redis {

        @Bean
        @ConditionalOnMissingBean
        RemoteLease.Factory hostsyncCohortLeases(RedisConnectionFactory connectionFactory, Environment environment) {
            HostsyncProperties.Cohort cohort = HostsyncPropertyNames.bind(environment).getCohort();
            return RedisRemoteLease.factory(connectionFactory, cohort.getRedisRegistryKey());
        }
    }

    /** The cohort locks and their LockRegistry, once the engine's leases are known. */
    @Configuration(proxyBeanMethods = false)
    static class Cohorts {

        @Bean
        @ConditionalOnMissingBean
        HostsyncCohorts hostsyncCohorts(ListableBeanFactory beanFactory, RemoteLease.Factory leases,
                Environment environment) {
            return new HostsyncCohorts(beanFactory, leases, settings(environment));
        }

        @Bean
        @ConditionalOnMissingBean(LockRegistry.class)
        @ConditionalOnSingleCandidate(SharedRegion.class)
        CohortLockRegistry hostsyncCohortLockRegistry(HostsyncCohorts cohorts, SharedRegion region) {
            return new CohortLockRegistry(cohorts, region.name());
        }
    }

    /** Meters of the cohort locks, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBooleanProperty(name = "hostsync.metrics.enabled", matchIfMissing = true)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        CohortMeterBinder hostsyncCohortMeterBinder(HostsyncCohorts cohorts) {
            return new CohortMeterBinder(cohorts);
        }
    }

    /** The health contributor {@code hostsyncCohort}, with Spring Boot's health module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthIndicators {

        @Bean
        @ConditionalOnMissingBean(name = "hostsyncCohortHealthIndicator")
        CohortHealthIndicator hostsyncCohortHealthIndicator(HostsyncCohorts cohorts) {
            return new CohortHealthIndicator(cohorts);
        }
    }
}
