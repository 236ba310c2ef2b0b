package io.hostsync.autoconfigure.guard;

import java.util.List;
import java.util.function.Supplier;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder;
import io.hostsync.autoconfigure.observation.GuardedCallObserver;
import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The Spring AOP advisor that runs methods annotated with {@code @ReadGuarded} or
 * {@code @WriteGuarded} (on the method, its class, or through a composed annotation) holding
 * their lock. A plain advisor, with no AspectJ weaver: any auto-proxy creator applies it, such
 * as the one hostsync's auto-configuration registers. Ordered like any advisor, by
 * {@code hostsync.annotations.order}.
 *
 * <p>Methods that cannot be guarded as annotated are refused when their bean is created, with
 * an {@link InvalidGuardException} naming the method.
 */
public final class GuardedMethodAdvisor extends AbstractPointcutAdvisor implements SmartInitializingSingleton {

    private static final long serialVersionUID = 1L;

    private final transient GuardAttributeSource source;

    private final transient Runnable verification;

    private final transient GuardedMethodPointcut pointcut;

    private final transient GuardedMethodInterceptor interceptor;

    /**
     * Creates the advisor.
     *
     * @param source how methods are guarded
     * @param verification checks at startup that the locks can be had
     * @param recorder times waits and holds, looked up at the first guarded call
     * @param observer observes calls and waits for tracing, looked up at the first guarded call
     */
    GuardedMethodAdvisor(GuardAttributeSource source, Runnable verification, Supplier<HostsyncMetricsRecorder> recorder,
            Supplier<GuardedCallObserver> observer) {
        this.source = source;
        this.verification = verification;
        this.pointcut = new GuardedMethodPointcut(source);
        this.interceptor = new GuardedMethodInterceptor(source, recorder, observer);
    }

    /**
     * Returns the pointcut: the guarded methods.
     *
     * @return the pointcut
     */
    @Override
    public Pointcut getPointcut() {
        return this.pointcut;
    }

    /**
     * Returns the advice: the interceptor that takes and releases the lock.
     *
     * @return the advice
     */
    @Override
    public Advice getAdvice() {
        return this.interceptor;
    }

    /**
     * Checks, once every singleton exists, that the locks can be had, so that a misconfigured
     * {@code hostsync.annotations.lock-registry} fails startup even if no method is guarded yet.
     */
    @Override
    public void afterSingletonsInstantiated() {
        this.verification.run();
    }

    /** The guards of a class's methods, for the check of the proxy made for it. */
    List<Guard> guardedMethods(Class<?> targetClass) {
        return this.source.guardedMethods(targetClass);
    }
}
