package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;

import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * Matches the methods that {@link GuardAttributeSource} finds guarded. The class filter checks
 * every guarded method of a bean's class when the bean is created, so that a method that cannot
 * be guarded as annotated fails startup, not its first call.
 *
 * <p>During AOT processing ({@value AbstractAotProcessor#AOT_PROCESSING} is set), where Spring
 * asks which beans will be proxied to write their proxy classes, only the annotations decide:
 * checking a method needs the region beans, and no region is opened at build time. The checks
 * then run when the processed application starts.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    private final GuardAttributeSource source;

    GuardedMethodPointcut(GuardAttributeSource source) {
        this.source = source;
        setClassFilter((targetClass) -> GuardAttributeSource.isCandidateClass(targetClass)
                && (aotProcessing() ? GuardAttributeSource.isAnnotated(targetClass)
                        : !source.guardedMethods(targetClass).isEmpty()));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        // At build time only whether the class is proxied matters, and the class filter decided it.
        return aotProcessing() || this.source.find(method, targetClass) != null;
    }

    private static boolean aotProcessing() {
        return Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING);
    }
}
