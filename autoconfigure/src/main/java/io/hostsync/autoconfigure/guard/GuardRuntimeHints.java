package io.hostsync.autoconfigure.guard;

import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image must keep for the guarded-method annotations to work: their attributes,
 * read reflectively; the JDK proxy that Spring synthesizes when a composed annotation overrides
 * them with {@code @AliasFor}; and the Spring Integration {@code LockRegistry} type, looked up by
 * name to tell whether {@code hostsync.annotations.lock-registry} can be used. The classes of
 * the guarded beans are covered, bean by bean, by {@link GuardedBeanRegistrationAotProcessor}.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
final class GuardRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (Class<?> annotation : new Class<?>[] { ReadGuarded.class, WriteGuarded.class }) {
            hints.reflection().registerType(annotation, MemberCategory.INVOKE_PUBLIC_METHODS);
            hints.proxies().registerJdkProxy(annotation);
        }
        hints.reflection().registerType(OnTimeout.class);
        hints.reflection().registerType(TypeReference.of(LockRegistryGuardLocks.LOCK_REGISTRY_CLASS));
    }
}
