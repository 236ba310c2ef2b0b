package io.hostsync.autoconfigure.guard;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an auto-proxy creator applies the guarded-method advisor, as
 * {@code @EnableTransactionManagement} does for transactions: Spring Boot registers one only
 * when {@code spring.aop.proxy-target-class} is true. Proxies classes unless
 * {@code spring.aop.proxy-target-class} is false, like Spring Boot.
 */
final class GuardedMethodProxyRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    GuardedMethodProxyRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        if (proxiesClasses(this.environment)) {
            AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
        }
    }

    /**
     * Whether guarded beans get class-based proxies: unless {@code spring.aop.proxy-target-class}
     * is false, as in Spring Boot.
     *
     * @param environment the environment
     * @return true by default
     */
    static boolean proxiesClasses(Environment environment) {
        return environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true);
    }
}
