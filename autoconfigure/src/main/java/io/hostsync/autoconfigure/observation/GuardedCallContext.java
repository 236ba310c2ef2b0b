package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;

/**
 * The context of the observation of a guarded call,
 * {@link HostsyncObservationDocumentation#GUARDED_CALL}.
 */
public final class GuardedCallContext extends GuardObservationContext {

    GuardedCallContext(String region, String lock, Mode mode, Method method) {
        super(region, lock, mode, method);
    }
}
