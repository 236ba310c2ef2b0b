package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;

import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Matches the methods that {@link GuardAttributeSource} finds guarded. The class filter checks
 * every guarded method of a bean's class when the bean is created, so that a method that cannot
 * be guarded as annotated fails startup, not its first call.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    private final GuardAttributeSource source;

    GuardedMethodPointcut(GuardAttributeSource source) {
        this.source = source;
        setClassFilter((targetClass) -> GuardAttributeSource.isCandidateClass(targetClass)
                && !source.guardedMethods(targetClass).isEmpty());
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return this.source.find(method, targetClass) != null;
    }
}
