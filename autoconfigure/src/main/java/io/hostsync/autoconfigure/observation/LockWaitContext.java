package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;

/**
 * The context of the observation of a guarded call's wait for its lock,
 * {@link HostsyncObservationDocumentation#LOCK_WAIT}.
 */
public final class LockWaitContext extends GuardObservationContext {

    LockWaitContext(String region, String lock, Mode mode, Method method) {
        super(region, lock, mode, method);
    }
}
