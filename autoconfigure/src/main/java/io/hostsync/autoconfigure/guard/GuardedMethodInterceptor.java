package io.hostsync.autoconfigure.guard;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.hostsync.LockTimeoutException;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;

/**
 * Calls a guarded method holding its lock: acquires it with {@link Lock#tryLock(long, TimeUnit)}
 * within the guard's timeout, calls the method, and releases the lock however the method ends.
 * Reentrancy comes from the lock itself: a nested guarded call on a lock this thread holds does
 * not wait.
 */
final class GuardedMethodInterceptor implements MethodInterceptor {

    private static final Log logger = LogFactory.getLog(GuardedMethodInterceptor.class);

    private final GuardAttributeSource source;

    /** Looked up at first use: resolving it earlier would create the MeterRegistry too early. */
    private final Supplier<HostsyncMetricsRecorder> recorder;

    GuardedMethodInterceptor(GuardAttributeSource source, Supplier<HostsyncMetricsRecorder> recorder) {
        this.source = source;
        this.recorder = recorder;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
        Guard guard = this.source.find(invocation.getMethod(), targetClass);
        if (guard == null) {
            return invocation.proceed();
        }
        Lock lock = guard.lockSource().get();
        HostsyncMetricsRecorder metrics = this.recorder.get();
        if (metrics == HostsyncMetricsRecorder.none()) {
            // Metrics off: no clock reads, which cost more than the lock itself.
            if (!acquire(lock, guard, invocation, metrics, null, 0)) {
                return timedOut(guard);
            }
            try {
                return invocation.proceed();
            }
            finally {
                lock.unlock();
            }
        }
        HostsyncMetricsRecorder.Mode mode = (guard.mode() == Guard.Mode.READ) ? HostsyncMetricsRecorder.Mode.READ
                : HostsyncMetricsRecorder.Mode.WRITE;
        long start = System.nanoTime();
        if (!acquire(lock, guard, invocation, metrics, mode, start)) {
            metrics.recordAcquire(guard.region(), guard.lock(), mode, HostsyncMetricsRecorder.Outcome.TIMEOUT,
                    Duration.ofNanos(System.nanoTime() - start));
            return timedOut(guard);
        }
        long acquired = System.nanoTime();
        metrics.recordAcquire(guard.region(), guard.lock(), mode, HostsyncMetricsRecorder.Outcome.ACQUIRED,
                Duration.ofNanos(acquired - start));
        try {
            return invocation.proceed();
        }
        finally {
            lock.unlock();
            metrics.recordHold(guard.region(), guard.lock(), mode, Duration.ofNanos(System.nanoTime() - acquired));
        }
    }

    private static boolean acquire(Lock lock, Guard guard, MethodInvocation invocation, HostsyncMetricsRecorder metrics,
            HostsyncMetricsRecorder.Mode mode, long start) throws InterruptedException {
        try {
            return lock.tryLock(guard.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            metrics.recordAcquire(guard.region(), guard.lock(), mode, HostsyncMetricsRecorder.Outcome.INTERRUPTED,
                    Duration.ofNanos(System.nanoTime() - start));
            if (declares(invocation, InterruptedException.class)) {
                throw ex;
            }
            // The method cannot throw InterruptedException: keep the interrupt for the caller to see.
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("Interrupted while waiting for " + guard.lockDescription() + " to call "
                    + GuardAttributeSource.describe(guard.method()) + "; the method was not called.", ex);
        }
    }

    private static boolean declares(MethodInvocation invocation, Class<? extends Throwable> exception) {
        for (Class<?> declared : invocation.getMethod().getExceptionTypes()) {
            if (declared.isAssignableFrom(exception)) {
                return true;
            }
        }
        return false;
    }

    private static Object timedOut(Guard guard) {
        String method = GuardAttributeSource.describe(guard.method());
        if (guard.onTimeout() == OnTimeout.SKIP) {
            if (logger.isDebugEnabled()) {
                logger.debug("Skipped " + method + ": " + guard.lockDescription() + " was not acquired within "
                        + format(guard.timeout()));
            }
            return GuardAttributeSource.skippedResult(guard.method().getReturnType());
        }
        throw new LockTimeoutException("Timed out after " + format(guard.timeout()) + " waiting for " + guard.lockDescription()
                + " to call " + method + ": another thread or process held it all that time. Give the annotation a"
                + " longer timeout (or set hostsync.regions." + guard.region() + ".acquire-timeout), or use"
                + " onTimeout = SKIP to skip the call instead.");
    }

    /** Formats a timeout the way it is configured, such as 50ms, 5s or 2m. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0 || millis == 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        return (seconds % 60 != 0) ? seconds + "s" : (seconds / 60) + "m";
    }
}
