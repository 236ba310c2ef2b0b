package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes guarded calls as Micrometer {@link Observation}s: {@link HostsyncObservationDocumentation#GUARDED_CALL}
 * for the call, and {@link HostsyncObservationDocumentation#LOCK_WAIT}, its child, for the wait
 * for the lock. The reasons for a child observation rather than an event are given in
 * {@link HostsyncObservationDocumentation}.
 */
public final class MicrometerGuardedCallObserver implements GuardedCallObserver {

    private final ObservationRegistry registry;

    private final @Nullable GuardedCallObservationConvention callConvention;

    private final @Nullable LockWaitObservationConvention waitConvention;

    private MicrometerGuardedCallObserver(ObservationRegistry registry,
            @Nullable GuardedCallObservationConvention callConvention,
            @Nullable LockWaitObservationConvention waitConvention) {
        this.registry = registry;
        this.callConvention = callConvention;
        this.waitConvention = waitConvention;
    }

    /**
     * Returns an observer that records into a registry, or {@link GuardedCallObserver#none()}
     * if the registry records nothing ({@link ObservationRegistry#isNoop()}, as
     * {@link ObservationRegistry#NOOP} and a registry without handlers do), so that guarded
     * calls then create no observation at all. The registry is asked once, here.
     *
     * @param registry the registry, usually the application's
     * @param callConvention the convention for guarded calls, or {@code null} for
     *     {@link DefaultGuardedCallObservationConvention}
     * @param waitConvention the convention for lock waits, or {@code null} for
     *     {@link DefaultLockWaitObservationConvention}
     * @return the observer
     */
    public static GuardedCallObserver of(ObservationRegistry registry,
            @Nullable GuardedCallObservationConvention callConvention,
            @Nullable LockWaitObservationConvention waitConvention) {
        if (registry.isNoop()) {
            return GuardedCallObserver.none();
        }
        return new MicrometerGuardedCallObserver(registry, callConvention, waitConvention);
    }

    @Override
    public GuardedCall start(String region, String lock, Mode mode, Method method) {
        GuardedCallContext context = new GuardedCallContext(region, lock, mode, method);
        Observation call = HostsyncObservationDocumentation.GUARDED_CALL
                .observation(this.callConvention, DefaultGuardedCallObservationConvention.INSTANCE, () -> context,
                        this.registry)
                .start();
        return new ObservedCall(call, context);
    }

    @Override
    public String toString() {
        return "MicrometerGuardedCallObserver[" + this.registry.getClass().getSimpleName() + "]";
    }

    /** One guarded call: its observation, in scope until it ends, and the wait within it. */
    private final class ObservedCall implements GuardedCall {

        private final Observation call;

        private final GuardedCallContext context;

        private final Observation.Scope scope;

        private @Nullable Observation wait;

        private @Nullable LockWaitContext waitContext;

        ObservedCall(Observation call, GuardedCallContext context) {
            this.call = call;
            this.context = context;
            this.scope = call.openScope();
        }

        @Override
        public void waiting() {
            LockWaitContext waitContext = new LockWaitContext(this.context.getRegion(), this.context.getLock(),
                    this.context.getMode(), this.context.getMethod());
            this.waitContext = waitContext;
            this.wait = HostsyncObservationDocumentation.LOCK_WAIT
                    .observation(MicrometerGuardedCallObserver.this.waitConvention,
                            DefaultLockWaitObservationConvention.INSTANCE, () -> waitContext,
                            MicrometerGuardedCallObserver.this.registry)
                    .parentObservation(this.call)
                    .start();
        }

        @Override
        public void waited(Outcome outcome) {
            this.context.setOutcome(outcome);
            Observation wait = this.wait;
            LockWaitContext waitContext = this.waitContext;
            if (wait != null && waitContext != null) { // set together by waiting()
                waitContext.setOutcome(outcome);
                wait.stop();
                this.wait = null;
            }
        }

        @Override
        public void error(Throwable error) {
            if (this.wait != null) {
                this.wait.error(error);
            }
            this.call.error(error);
        }

        @Override
        public void end() {
            if (this.wait != null) {
                this.wait.stop();
                this.wait = null;
            }
            this.scope.close();
            this.call.stop();
        }
    }
}
