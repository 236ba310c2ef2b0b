/**
 * Micrometer meters of hostsync regions and locks: {@link io.hostsync.autoconfigure.metrics.HostsyncMeterBinder}
 * for the figures every process shares through the region, and
 * {@link io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder} for the waits and holds only
 * the process taking a lock can time. Meter names are in
 * {@link io.hostsync.autoconfigure.metrics.HostsyncMeterNames}.
 */
@NullMarked
package io.hostsync.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
