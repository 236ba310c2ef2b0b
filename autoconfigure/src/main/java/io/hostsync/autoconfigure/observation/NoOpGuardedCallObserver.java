package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;

/**
 * The observer used when observations are off: one constant that is also every call it starts.
 */
enum NoOpGuardedCallObserver implements GuardedCallObserver, GuardedCallObserver.GuardedCall {

    /** The only instance. */
    INSTANCE;

    @Override
    public GuardedCall start(String region, String lock, Mode mode, Method method) {
        return this;
    }

    @Override
    public void waiting() {
    }

    @Override
    public void waited(Outcome outcome) {
    }

    @Override
    public void error(Throwable error) {
    }

    @Override
    public void end() {
    }

    @Override
    public String toString() {
        return "GuardedCallObserver.none()";
    }
}
