package io.hostsync.autoconfigure.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.support.AopUtils;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

/**
 * The starter under Spring's AOT processing, as {@code process-aot} runs it: every bean it
 * registers is written as code, and an application started from that code, with no
 * configuration classes parsed, has the beans and guards its methods. A forked class loader
 * loads the compiled code and the CGLIB proxy classes that the processing wrote.
 */
@CompileWithForkedClassLoader
class HostsyncAotProcessingTests {

    @TempDir
    Path directory;

    @Test
    void everyBeanOfTheStarterIsWrittenAsCodeAndTheApplicationStartsFromIt() {
        String[] properties = { "hostsync.regions.orders.default=true", "hostsync.regions.prices.locks=refresh" };
        startedAheadOfTime(properties, properties, (context) -> {
            assertThat(context.getBeansOfType(SharedRegion.class)).containsOnlyKeys("hostsyncRegion-orders",
                    "hostsyncRegion-prices");
            assertThat(context.getBeansOfType(SharedState.class)).containsOnlyKeys("hostsyncState-orders",
                    "hostsyncState-prices");
            assertThat(context.getBeansOfType(RWLock.class)).containsOnlyKeys("hostsyncLock-orders",
                    "hostsyncLock-prices");
            assertThat(context.getBean(SharedRegion.class).name()).as("the primary region").isEqualTo("orders");
            SharedRegion prices = context.getBean("hostsyncRegion-prices", SharedRegion.class);
            assertThat(context.getBean("hostsyncState-prices")).isSameAs(prices.state());
            assertThat(context.getBean("hostsyncLock-prices")).isSameAs(prices.lock());
            assertThat(context.getBean(PriceClient.class).lock).as("injected by its qualifier")
                    .isSameAs(prices.lock());
            assertThat(prices.file()).isEqualTo(this.directory.resolve("hostsync-prices"));
        });
    }

    @Test
    void aGuardedMethodOfAnApplicationStartedFromTheCodeHoldsItsLock() {
        String[] properties = { "hostsync.regions.prices.locks=refresh" };
        startedAheadOfTime(properties, properties, (context) -> {
            PriceTable table = context.getBean(PriceTable.class);
            assertThat(AopUtils.isCglibProxy(table)).isTrue();
            RWLock refresh = context.getBean(SharedRegion.class).lock("refresh");
            assertThat(table.replace(() -> refresh.isWriteLockedByCurrentThread())).isTrue();
            assertThat(table.read(() -> refresh.getReadHoldCount())).isEqualTo(1);
            assertThat(refresh.isWriteLockedByCurrentThread()).as("released on return").isFalse();
        });
    }

    @Test
    void theSettingsOfARegionAreReadAtStartupNotWhenTheApplicationWasProcessed() {
        startedAheadOfTime(new String[] { "hostsync.regions.prices.size=1MB" },
                new String[] { "hostsync.regions.prices.size=2MB" },
                (context) -> assertThat(context.getBean(SharedRegion.class).size()).isEqualTo(2 * 1024 * 1024));
    }

    @Test
    void aRegionProcessedAheadOfTimeButNoLongerConfiguredFailsStartupWithTheFix() {
        assertThatThrownBy(() -> startedAheadOfTime(new String[] { "hostsync.regions.prices.size=1MB" },
                new String[] { "hostsync.regions.orders.size=1MB" }, (context) -> {
                }))
                .rootCause()
                .hasMessageContaining("Region 'prices' has a bean but is not configured under hostsync.regions.prices")
                .hasMessageContaining("process the application again");
    }

    @Test
    void hintsCoverTheAnnotationsAndTheClassesOfGuardedBeans() {
        RuntimeHints hints = processedAheadOfTime(new String[] { "hostsync.regions.prices.locks=refresh" })
                .getRuntimeHints();
        assertThat(RuntimeHintsPredicates.reflection().onType(PriceTable.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(ReadGuarded.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(WriteGuarded.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ReadGuarded.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(WriteGuarded.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
                .onType(TypeReference.of("org.springframework.integration.support.locks.LockRegistry"))).accepts(hints);
    }

    /**
     * Processes an application with {@code processed} as its properties, then starts it from the
     * code written, with {@code started} as its properties.
     */
    @SuppressWarnings("unchecked")
    private void startedAheadOfTime(String[] processed, String[] started,
            Consumer<GenericApplicationContext> assertions) {
        TestGenerationContext generation = new TestGenerationContext(Application.class);
        ClassName initializer = process(processed, generation);
        TestCompiler.forSystem().with(generation).compile((compiled) -> {
            GenericApplicationContext context = new GenericApplicationContext();
            withProperties(started).applyTo(context);
            compiled.getInstance(ApplicationContextInitializer.class, initializer.reflectionName())
                    .initialize(context);
            try {
                context.refresh();
                assertions.accept(context);
            } finally {
                context.close();
            }
        });
    }

    private TestGenerationContext processedAheadOfTime(String[] properties) {
        TestGenerationContext generation = new TestGenerationContext(Application.class);
        process(properties, generation);
        return generation;
    }

    private ClassName process(String[] properties, TestGenerationContext generation) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        withProperties(properties).applyTo(context);
        context.register(Application.class);
        // Set as process-aot sets it (AbstractAotProcessor): the guard advisor then opens no region.
        System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
        try {
            ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            assertThat(this.directory).as("no region is opened at build time").isEmptyDirectory();
            return initializer;
        } finally {
            System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
        }
    }

    private TestPropertyValues withProperties(String[] properties) {
        return TestPropertyValues.of(properties).and("hostsync.directory=" + this.directory);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class })
    static class Application {

        @Bean
        PriceTable priceTable() {
            return new PriceTable();
        }

        @Bean
        PriceClient priceClient(@Qualifier("prices") RWLock lock) {
            return new PriceClient(lock);
        }
    }

    /** A bean with guarded methods; each body is a callback, to look at the lock while it runs. */
    static class PriceTable {

        @WriteGuarded(region = "prices", lock = "refresh")
        public <T> T replace(java.util.function.Supplier<T> body) {
            return body.get();
        }

        @ReadGuarded(region = "prices", lock = "refresh")
        public <T> T read(java.util.function.Supplier<T> body) {
            return body.get();
        }
    }

    /** A bean that injects a region's default lock by the region's name. */
    static class PriceClient {

        final RWLock lock;

        PriceClient(RWLock lock) {
            this.lock = lock;
        }
    }
}
