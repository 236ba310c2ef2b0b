package io.hostsync.autoconfigure.metrics;

import java.util.List;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of hostsync's Micrometer meters: a {@link HostsyncMeterBinder} for every
 * {@link SharedRegion} bean, and a {@link MicrometerMetricsRecorder} for the timers only the
 * process taking a lock can record. Applies when Micrometer is on the class path, a
 * {@link MeterRegistry} bean exists, and {@code hostsync.metrics.enabled} is not {@code false}.
 */
@AutoConfiguration(after = { HostsyncAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, SharedRegion.class })
@ConditionalOnBean({ MeterRegistry.class, SharedRegion.class })
@ConditionalOnBooleanProperty(name = "hostsync.metrics.enabled", matchIfMissing = true)
public final class HostsyncMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HostsyncMeterBinder hostsyncMeterBinder(List<SharedRegion> regions) {
        return new HostsyncMeterBinder(regions);
    }

    @Bean
    @ConditionalOnMissingBean(HostsyncMetricsRecorder.class)
    MicrometerMetricsRecorder hostsyncMetricsRecorder(MeterRegistry registry) {
        return new MicrometerMetricsRecorder(registry);
    }
}
