package io.hostsync.autoconfigure.metrics;

/**
 * The recorder used when metrics are off: every call returns at once.
 */
enum NoOpMetricsRecorder implements HostsyncMetricsRecorder {

    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "HostsyncMetricsRecorder.none()";
    }
}
