package io.hostsync.autoconfigure.guard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.core.annotation.AliasFor;

/**
 * Beans with guarded methods, for the tests of the guard advisor. Each body is a callback, so
 * that a test can look at the locks while the method runs.
 */
final class GuardedBeans {

    private GuardedBeans() {
    }

    /** A class-proxied bean (it implements no interface) with one guarded method per case. */
    static class Inventory {

        @WriteGuarded
        public <T> T write(Supplier<T> body) {
            return body.get();
        }

        @ReadGuarded
        public <T> T read(Supplier<T> body) {
            return body.get();
        }

        @WriteGuarded(lock = "stock")
        public <T> T writeStock(Supplier<T> body) {
            return body.get();
        }

        @WriteGuarded(timeout = "50ms")
        public String writeWithin50ms() {
            return "called";
        }

        @WriteGuarded(timeout = "50ms", onTimeout = OnTimeout.SKIP)
        public String writeOrSkip() {
            return "called";
        }

        @WriteGuarded(timeout = "50ms", onTimeout = OnTimeout.SKIP)
        public Optional<String> writeOrSkipOptional() {
            return Optional.of("called");
        }

        @ReadGuarded(timeout = "${test.read-timeout:30s}")
        public String readWithPropertyTimeout() {
            return "called";
        }

        @WriteGuarded
        public String writeWithRegionTimeout() {
            return "called";
        }

        public String unguarded(Supplier<String> body) {
            return body.get();
        }
    }

    /** Every public method guarded through the class's annotation; one overrides it. */
    @WriteGuarded
    static class ClassGuarded {

        public <T> T write(Supplier<T> body) {
            return body.get();
        }

        @ReadGuarded
        public <T> T read(Supplier<T> body) {
            return body.get();
        }
    }

    /** A composed annotation: the write lock of "price-table", with an alias for the timeout. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @WriteGuarded(lock = "price-table")
    @interface RebuildsPrices {

        @AliasFor(annotation = WriteGuarded.class, attribute = "timeout")
        String within() default "";

        @AliasFor(annotation = WriteGuarded.class, attribute = "onTimeout")
        OnTimeout onTimeout() default OnTimeout.THROW;
    }

    /** Uses the composed annotation. */
    static class Prices {

        @RebuildsPrices
        public <T> T rebuild(Supplier<T> body) {
            return body.get();
        }

        @RebuildsPrices(within = "50ms", onTimeout = OnTimeout.SKIP)
        public String rebuildOrSkip() {
            return "called";
        }
    }

    /** An interface whose method is guarded where it is declared. */
    interface Catalog {

        @ReadGuarded
        <T> T read(Supplier<T> body);

        <T> T write(Supplier<T> body);
    }

    /** Implements {@link Catalog}, guarding one method on the implementation. */
    static class DefaultCatalog implements Catalog {

        @Override
        public <T> T read(Supplier<T> body) {
            return body.get();
        }

        @Override
        @WriteGuarded
        public <T> T write(Supplier<T> body) {
            return body.get();
        }
    }

    /** Guards in another region, by name. */
    static class Orders {

        @WriteGuarded(region = "orders")
        public <T> T write(Supplier<T> body) {
            return body.get();
        }
    }

    /** Refused: both annotations on one method. */
    static class BothAnnotations {

        @ReadGuarded
        @WriteGuarded
        public void both() {
        }
    }

    /** Refused: skipping a call that returns a primitive. */
    static class SkipReturningPrimitive {

        @WriteGuarded(onTimeout = OnTimeout.SKIP)
        public int count() {
            return 1;
        }
    }

    /** Refused: a region that is not configured. */
    static class UnknownRegion {

        @WriteGuarded(region = "nowhere")
        public void write() {
        }
    }

    /** Refused: a timeout that is not a duration. */
    static class BadTimeout {

        @WriteGuarded(timeout = "soon")
        public void write() {
        }
    }

    /** Refused: a timeout placeholder that cannot be resolved. */
    static class UnresolvableTimeout {

        @WriteGuarded(timeout = "${no.such.property}")
        public void write() {
        }
    }

    /** Refused: a private method, which no proxy intercepts. */
    static class PrivateMethod {

        public void call() {
            write();
        }

        @WriteGuarded
        private void write() {
        }
    }

    /** Refused behind a class proxy: a final method. */
    static class FinalMethod {

        @WriteGuarded
        public final void write() {
        }
    }

    /** Refused behind a class-based proxy: a final class cannot be subclassed. */
    static final class FinalClass {

        @WriteGuarded
        public void write() {
        }
    }

    /** Guarded behind a JDK dynamic proxy, which a final class can have. */
    static final class FinalClassWithInterface implements Writer {

        @Override
        @WriteGuarded
        public void write() {
        }
    }

    /** The interface of {@link FinalClassWithInterface}. */
    interface Writer {

        void write();
    }

    /** Refused: the lock would be released before the asynchronous work ends. */
    static class AsynchronousMethod {

        @WriteGuarded
        public CompletableFuture<String> write() {
            return CompletableFuture.completedFuture("done");
        }
    }

    /** An interface that does not declare the guarded method of its implementation. */
    interface Named {

        String name();
    }

    /** Refused behind a JDK proxy: its guarded method is on no interface. */
    static class GuardedOutsideInterface implements Named {

        @Override
        public String name() {
            return "named";
        }

        @WriteGuarded
        public void write() {
        }
    }
}
