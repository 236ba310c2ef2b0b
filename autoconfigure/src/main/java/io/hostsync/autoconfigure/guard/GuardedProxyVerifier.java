package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Refuses a guarded method that the proxy made for its bean cannot intercept, which would run
 * unguarded: a final method behind a class-based (CGLIB) proxy, Spring Boot's default, and a
 * method annotated on its own that no interface of a JDK dynamic proxy declares. Not
 * {@code Ordered}, so that it runs after the auto-proxy creator and sees the proxy.
 *
 * <p>Also refuses, before the auto-proxy creator tries, a guarded bean of a final class that
 * would need a class-based proxy, which cannot be made: Spring would fail with its own
 * "Could not generate CGLIB subclass" and no word of the annotation.
 */
final class GuardedProxyVerifier implements BeanPostProcessor {

    private final boolean proxiesClasses;

    private final ObjectProvider<GuardedMethodAdvisor> advisor;

    /**
     * Creates the check.
     *
     * @param proxiesClasses whether the auto-proxy creator makes class-based proxies even for
     *     beans with interfaces ({@code spring.aop.proxy-target-class}, true by default)
     * @param advisor the advisor whose guarded methods a final class would have
     */
    GuardedProxyVerifier(boolean proxiesClasses, ObjectProvider<GuardedMethodAdvisor> advisor) {
        this.proxiesClasses = proxiesClasses;
        this.advisor = advisor;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        Class<?> beanClass = ClassUtils.getUserClass(bean);
        if (Modifier.isFinal(beanClass.getModifiers()) && needsClassProxy(beanClass)
                && GuardAttributeSource.isCandidateClass(beanClass)) {
            GuardedMethodAdvisor guardedMethodAdvisor = this.advisor.getIfAvailable();
            List<Guard> guards = (guardedMethodAdvisor != null) ? guardedMethodAdvisor.guardedMethods(beanClass)
                    : List.of();
            if (!guards.isEmpty()) {
                Guard guard = guards.get(0);
                throw new InvalidGuardException(guard.mode().annotation() + " on "
                        + GuardAttributeSource.describe(guard.method()) + " cannot be guarded: class "
                        + beanClass.getName() + " of bean '" + beanName + "' is final, so Spring cannot make the"
                        + " class-based (CGLIB) proxy that takes the lock. Make the class non-final (in Kotlin, open,"
                        + " or the kotlin-spring compiler plugin), or declare the method in an interface of the bean"
                        + " and set spring.aop.proxy-target-class=false.");
            }
        }
        return bean;
    }

    /**
     * Whether the bean would get a class-based proxy: always with class proxying (the default),
     * else when it implements no interface. Spring also ignores callback interfaces such as
     * InitializingBean; a final class with only those is left for Spring to refuse.
     */
    private boolean needsClassProxy(Class<?> beanClass) {
        return this.proxiesClasses || ClassUtils.getAllInterfacesForClass(beanClass).length == 0;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof Advised advised)) {
            return bean;
        }
        GuardedMethodAdvisor advisor = guardedMethodAdvisor(advised);
        if (advisor != null) {
            verify(bean, beanName, advised, advisor);
        }
        return bean;
    }

    private static @Nullable GuardedMethodAdvisor guardedMethodAdvisor(Advised advised) {
        for (Advisor candidate : advised.getAdvisors()) {
            if (candidate instanceof GuardedMethodAdvisor guardedMethodAdvisor) {
                return guardedMethodAdvisor;
            }
        }
        return null;
    }

    private static void verify(Object proxy, String beanName, Advised advised, GuardedMethodAdvisor advisor) {
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(proxy);
        boolean classProxy = AopUtils.isCglibProxy(proxy);
        boolean interfaceProxy = AopUtils.isJdkDynamicProxy(proxy);
        for (Guard guard : advisor.guardedMethods(targetClass)) {
            Method method = guard.method();
            String annotation = guard.mode().annotation() + " on " + GuardAttributeSource.describe(method);
            if (classProxy && Modifier.isFinal(method.getModifiers())) {
                throw new InvalidGuardException(annotation + " cannot be guarded: it is final, so the class-based"
                        + " proxy of bean '" + beanName + "' cannot intercept it and it would run unguarded. Make it"
                        + " non-final, or call it through an interface with spring.aop.proxy-target-class=false.");
            }
            if (interfaceProxy && guard.onMethod() && !declaredByAny(advised.getProxiedInterfaces(), method)) {
                throw new InvalidGuardException(annotation + " cannot be guarded: bean '" + beanName + "' is a JDK"
                        + " dynamic proxy (spring.aop.proxy-target-class=false), which intercepts only the methods of"
                        + " its interfaces, and none of them declares this one. Declare it in an interface of the"
                        + " bean, or proxy the class with spring.aop.proxy-target-class=true.");
            }
        }
    }

    private static boolean declaredByAny(Class<?>[] interfaces, Method method) {
        for (Class<?> candidate : interfaces) {
            if (ClassUtils.hasMethod(candidate, method.getName(), method.getParameterTypes())) {
                return true;
            }
        }
        return false;
    }
}
