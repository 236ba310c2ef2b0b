package io.hostsync.autoconfigure.guard;

import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.GuardedBeans.AsynchronousMethod;
import io.hostsync.autoconfigure.guard.GuardedBeans.BadTimeout;
import io.hostsync.autoconfigure.guard.GuardedBeans.BothAnnotations;
import io.hostsync.autoconfigure.guard.GuardedBeans.FinalClass;
import io.hostsync.autoconfigure.guard.GuardedBeans.FinalClassWithInterface;
import io.hostsync.autoconfigure.guard.GuardedBeans.FinalMethod;
import io.hostsync.autoconfigure.guard.GuardedBeans.GuardedOutsideInterface;
import io.hostsync.autoconfigure.guard.GuardedBeans.Inventory;
import io.hostsync.autoconfigure.guard.GuardedBeans.Named;
import io.hostsync.autoconfigure.guard.GuardedBeans.PrivateMethod;
import io.hostsync.autoconfigure.guard.GuardedBeans.SkipReturningPrimitive;
import io.hostsync.autoconfigure.guard.GuardedBeans.UnknownRegion;
import io.hostsync.autoconfigure.guard.GuardedBeans.UnresolvableTimeout;
import io.hostsync.autoconfigure.guard.GuardedBeans.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that what the guard advisor cannot guard as annotated fails startup, with a message
 * naming the method, what is wrong, and what to do. One refusal each.
 */
class GuardedMethodRefusalTests {

    private final String region = "refusal-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class));

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    @Test
    void bothAnnotationsOnOneMethodAreRefused() {
        assertRefused(inRegion().withBean(BothAnnotations.class), "BothAnnotations.both()",
                "annotated both @ReadGuarded and @WriteGuarded", "Keep one");
    }

    @Test
    void skipOnAMethodReturningAPrimitiveIsRefused() {
        assertRefused(inRegion().withBean(SkipReturningPrimitive.class), "SkipReturningPrimitive.count()",
                "onTimeout = SKIP but returns int", "Integer");
    }

    @Test
    void unknownRegionIsRefusedNamingTheConfiguredRegions() {
        assertRefused(inRegion().withBean(UnknownRegion.class), "UnknownRegion.write()", "region 'nowhere'",
                "[" + this.region + "]", "hostsync.regions.nowhere");
    }

    @Test
    void annotationWithoutRegionIsRefusedWhenThereIsNoDefaultRegion() {
        assertRefused(inRegion().withPropertyValues("hostsync.regions.other.size=1MB").withBean(Inventory.class),
                "Inventory.", "names no region, and there is no default region", "default=true");
    }

    @Test
    void timeoutThatIsNotADurationIsRefused() {
        assertRefused(inRegion().withBean(BadTimeout.class), "BadTimeout.write()", "\"soon\"", "not a duration");
    }

    @Test
    void timeoutPlaceholderThatCannotBeResolvedIsRefused() {
        assertRefused(inRegion().withBean(UnresolvableTimeout.class), "UnresolvableTimeout.write()",
                "no.such.property", "${name:5s}");
    }

    @Test
    void privateMethodIsRefused() {
        assertRefused(inRegion().withBean(PrivateMethod.class), "PrivateMethod.write()", "it is private");
    }

    @Test
    void finalMethodBehindAClassProxyIsRefused() {
        assertRefused(inRegion().withBean(FinalMethod.class), "FinalMethod.write()", "it is final",
                "spring.aop.proxy-target-class=false");
    }

    @Test
    void finalClassBehindAClassProxyIsRefusedNamingTheClass() {
        assertRefused(inRegion().withBean(FinalClass.class), "FinalClass.write()",
                "class " + FinalClass.class.getName() + " of bean", "is final", "Make the class non-final",
                "spring.aop.proxy-target-class=false");
    }

    @Test
    void finalClassBehindAJdkProxyIsGuarded() {
        inRegion().withPropertyValues("spring.aop.proxy-target-class=false")
                .withBean(Writer.class, FinalClassWithInterface::new)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertThat(AopUtils.isJdkDynamicProxy(context.getBean(Writer.class))).isTrue();
                });
    }

    @Test
    void methodReturningAFutureIsRefused() {
        assertRefused(inRegion().withBean(AsynchronousMethod.class), "AsynchronousMethod.write()",
                "returns a CompletableFuture", "before the work it started ends");
    }

    @Test
    void methodThatNoInterfaceOfAJdkProxyDeclaresIsRefused() {
        assertRefused(
                inRegion().withPropertyValues("spring.aop.proxy-target-class=false")
                        .withBean(Named.class, GuardedOutsideInterface::new),
                "GuardedOutsideInterface.write()", "JDK dynamic proxy", "spring.aop.proxy-target-class=true");
    }

    @Test
    void lockNameThatIsNotAllowedIsRefused() {
        assertRefused(inRegion().withBean(BadLockName.class), "BadLockName.write()", "lock 'has space'",
                "[A-Za-z0-9._-]");
    }

    private static void assertRefused(ApplicationContextRunner runner, String... messageParts) {
        runner.run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
            InvalidGuardException refusal = refusal(failure);
            assertThat(refusal.getMessage()).contains(messageParts);
        }));
    }

    private static InvalidGuardException refusal(Throwable failure) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof InvalidGuardException refusal) {
                return refusal;
            }
        }
        throw new AssertionError("Startup failed, but not with an InvalidGuardException", failure);
    }

    /** Refused: a lock name with a space. */
    static class BadLockName {

        @WriteGuarded(lock = "has space")
        public void write() {
        }
    }
}
