package io.hostsync.autoconfigure.guard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.hostsync.LockTimeoutException;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder;
import io.hostsync.autoconfigure.observation.GuardedCallObserver;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;

/**
 * Calls a guarded method holding its lock: acquires it with {@link Lock#tryLock(long, TimeUnit)}
 * within the guard's timeout, calls the method, and releases the lock however the method ends.
 * Reentrancy comes from the lock itself: a nested guarded call on a lock this thread holds does
 * not wait.
 *
 * <p>When metrics or observations are on, the wait and the hold are also recorded by the
 * {@link HostsyncMetricsRecorder} and observed by the {@link GuardedCallObserver}; when both
 * are off, a call reads no clock and creates no object.
 */
final class GuardedMethodInterceptor implements MethodInterceptor {

    private static final Log logger = LogFactory.getLog(GuardedMethodInterceptor.class);

    /** The units a timeout is written in, largest first, as in application.yml. */
    private static final List<ChronoUnit> FORMAT_UNITS = List.of(ChronoUnit.HOURS, ChronoUnit.MINUTES,
            ChronoUnit.SECONDS, ChronoUnit.MILLIS);

    private final GuardAttributeSource source;

    /** Looked up at first use: resolving it earlier would create the MeterRegistry too early. */
    private final Supplier<HostsyncMetricsRecorder> recorder;

    /** Looked up at first use, like the recorder, and for the same reason. */
    private final Supplier<GuardedCallObserver> observer;

    GuardedMethodInterceptor(GuardAttributeSource source, Supplier<HostsyncMetricsRecorder> recorder,
            Supplier<GuardedCallObserver> observer) {
        this.source = source;
        this.recorder = recorder;
        this.observer = observer;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
        Guard guard = this.source.find(invocation.getMethod(), targetClass);
        if (guard == null) {
            return invocation.proceed();
        }
        Lock lock = guard.lockFor(target, invocation.getArguments());
        HostsyncMetricsRecorder metrics = this.recorder.get();
        GuardedCallObserver observer = this.observer.get();
        if (metrics != HostsyncMetricsRecorder.none() || observer != GuardedCallObserver.none()) {
            return invokeRecorded(invocation, guard, lock, metrics, observer);
        }
        // Metrics and observations off: no clock reads, which cost more than the lock itself.
        boolean acquired;
        try {
            acquired = lock.tryLock(guard.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            throw interrupted(invocation, guard, ex);
        }
        if (!acquired) {
            return timedOut(guard);
        }
        try {
            return invocation.proceed();
        } finally {
            lock.unlock();
        }
    }

    private static @Nullable Object invokeRecorded(MethodInvocation invocation, Guard guard, Lock lock,
            HostsyncMetricsRecorder metrics, GuardedCallObserver observer) throws Throwable {
        HostsyncMetricsRecorder.Mode mode = (guard.mode() == Guard.Mode.READ) ? HostsyncMetricsRecorder.Mode.READ
                : HostsyncMetricsRecorder.Mode.WRITE;
        GuardedCallObserver.GuardedCall call = observer.start(guard.region(), guard.lock(), mode, guard.method());
        try {
            call.waiting();
            long start = System.nanoTime();
            boolean acquired;
            try {
                acquired = lock.tryLock(guard.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                waited(guard, mode, HostsyncMetricsRecorder.Outcome.INTERRUPTED, System.nanoTime() - start, metrics,
                        call);
                throw interrupted(invocation, guard, ex);
            }
            long acquiredAt = System.nanoTime();
            waited(guard, mode,
                    acquired ? HostsyncMetricsRecorder.Outcome.ACQUIRED : HostsyncMetricsRecorder.Outcome.TIMEOUT,
                    acquiredAt - start, metrics, call);
            if (!acquired) {
                return timedOut(guard);
            }
            try {
                return invocation.proceed();
            } finally {
                lock.unlock();
                metrics.recordHold(guard.region(), guard.lock(), mode,
                        Duration.ofNanos(System.nanoTime() - acquiredAt));
            }
        } catch (Throwable ex) {
            call.error(ex);
            throw ex;
        } finally {
            call.end();
        }
    }

    private static void waited(Guard guard, HostsyncMetricsRecorder.Mode mode, HostsyncMetricsRecorder.Outcome outcome,
            long waitedNanos, HostsyncMetricsRecorder metrics, GuardedCallObserver.GuardedCall call) {
        metrics.recordAcquire(guard.region(), guard.lock(), mode, outcome, Duration.ofNanos(waitedNanos));
        call.waited(outcome);
    }

    /**
     * Returns what to throw when the wait for the lock is interrupted: the interrupt itself if the
     * method declares it, else a {@link LockTimeoutException}, with the thread's interrupt status
     * restored for the caller to see.
     */
    private static Exception interrupted(MethodInvocation invocation, Guard guard, InterruptedException ex) {
        if (declares(invocation, InterruptedException.class)) {
            return ex;
        }
        Thread.currentThread().interrupt();
        return new LockTimeoutException("Interrupted while waiting for " + guard.lockDescription() + " to call "
                + GuardAttributeSource.describe(guard.method()) + "; the method was not called.", ex);
    }

    private static boolean declares(MethodInvocation invocation, Class<? extends Throwable> exception) {
        for (Class<?> declared : invocation.getMethod().getExceptionTypes()) {
            if (declared.isAssignableFrom(exception)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Object timedOut(Guard guard) {
        String method = GuardAttributeSource.describe(guard.method());
        if (guard.onTimeout() == OnTimeout.SKIP) {
            if (logger.isDebugEnabled()) {
                logger.debug("Skipped " + method + ": " + guard.lockDescription() + " was not acquired within "
                        + format(guard.timeout()));
            }
            return GuardAttributeSource.skippedResult(guard.method().getReturnType());
        }
        throw new LockTimeoutException("Timed out after " + format(guard.timeout()) + " waiting for "
                + guard.lockDescription()
                + " to call " + method + ": another thread or process held it all that time. Give the annotation a"
                + " longer timeout (or set hostsync.regions." + guard.region() + ".acquire-timeout), or use"
                + " onTimeout = SKIP to skip the call instead.");
    }

    /**
     * Formats a timeout the way it is configured, such as 50ms, 5s or 2m: Spring Boot's simple
     * style in the largest unit that gives a whole number.
     */
    static String format(Duration duration) {
        for (ChronoUnit unit : FORMAT_UNITS) {
            if (!duration.isZero() && duration.toNanos() % unit.getDuration().toNanos() == 0) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, duration.isZero() ? ChronoUnit.MILLIS : ChronoUnit.NANOS);
    }
}
