package io.hostsync.autoconfigure.guard;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.util.ClassUtils;

/**
 * Contributes, for each bean whose class carries {@code @ReadGuarded} or {@code @WriteGuarded},
 * what a native image needs to guard it: its methods, which {@link GuardAttributeSource} and
 * {@link GuardedProxyVerifier} look through reflectively, and, when the bean implements
 * interfaces, the JDK proxy over them that {@code spring.aop.proxy-target-class=false} asks for.
 * Class proxies need nothing here: Spring writes their CGLIB classes during AOT processing.
 * Registered in {@code META-INF/spring/aot.factories}, as Spring does for {@code @Transactional}.
 */
final class GuardedBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        if (!GuardAttributeSource.isAnnotated(beanClass)) {
            return null;
        }
        return (generationContext, code) -> registerHints(generationContext.getRuntimeHints(), beanClass);
    }

    private static void registerHints(RuntimeHints hints, Class<?> beanClass) {
        // Since Spring Framework 7 a type hint includes the introspection of its methods.
        hints.reflection().registerType(beanClass);
        Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(beanClass);
        if (interfaces.length > 0) {
            for (Class<?> implemented : interfaces) {
                hints.reflection().registerType(implemented, MemberCategory.INVOKE_PUBLIC_METHODS);
            }
            hints.proxies().registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(interfaces));
        }
    }
}
