package io.hostsync.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method, or every public method of the annotated class, holding the write
 * lock of a host-wide hostsync lock: one thread in one process on the host at a time, excluding
 * every reader ({@link ReadGuarded}) and every other writer.
 *
 * <p>The lock is acquired before the call, waiting at most {@link #timeout()}, and released when
 * the call returns or throws. Guarded calls nest: a write-guarded method may call another
 * write-guarded or read-guarded method on the same lock; but a write-guarded method called from
 * a read-guarded one on the same lock throws a {@link io.hostsync.LockUpgradeException}, as
 * upgrading a read lock would deadlock.
 *
 * <p>Applied by a Spring AOP advisor, so only calls that go through the bean's proxy are
 * guarded, not calls from the bean to itself. Usable as a meta-annotation: attributes of a
 * composed annotation may override these with {@code @AliasFor}. A method annotated on its own
 * overrides the annotation of its class. Refused at startup, with a message naming the method:
 * both {@code @ReadGuarded} and {@code @WriteGuarded} on one method, a private, static or (with
 * class proxies) final method, a method a JDK proxy cannot intercept, a method returning a
 * {@code Future}, {@code CompletionStage} or {@code Publisher} (the lock would be released
 * before the work ends), {@link OnTimeout#SKIP} on a method returning a primitive, an unknown
 * region, and a timeout that is not a duration.
 *
 * <p>With {@code hostsync.annotations.lock-registry} naming a Spring Integration
 * {@code LockRegistry} bean, the lock is that registry's lock for the key
 * {@code <region>:<lock>}, so that the same code runs over Redis, JDBC or ZooKeeper locks.
 *
 * <pre>{@code
 * @WriteGuarded(lock = "price-table", timeout = "5s", onTimeout = OnTimeout.SKIP)
 * public Optional<PriceTable> rebuildPrices() { ... }
 * }</pre>
 *
 * @see ReadGuarded
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WriteGuarded {

    /**
     * The region of the lock: a region name configured under {@code hostsync.regions}.
     *
     * @return the region name, or "" for the default region
     */
    String region() default "";

    /**
     * The lock: a named lock of the region (1 to 56 characters of {@code [A-Za-z0-9._-]}),
     * created in the region at startup if no process has yet; with a {@link #key()}, the family
     * of keyed locks the key belongs to.
     *
     * @return the lock name, or "" for the region's default lock
     */
    String lock() default "";

    /**
     * The key whose lock to take, for a lock per entity: a SpEL expression over the method's
     * arguments, by name ({@code "#order.id"}) or position ({@code "#p0"}), evaluated at each
     * call. With a key, {@link #lock()} names the family of keyed locks (see
     * {@code SharedRegion.lock(String, Object)}): any number of keys, each taking one of the
     * region's lock records only while held or waited for. The expression is parsed and checked
     * at startup; a call whose key is {@code null} throws {@link IllegalArgumentException}
     * without running.
     *
     * @return the key expression, or "" for the lock itself
     */
    String key() default "";

    /**
     * The longest time to wait for the lock, as a duration such as {@code "5s"},
     * {@code "500ms"} or {@code "PT5S"}; a bare number is milliseconds, and zero tries once
     * without waiting. Property placeholders such as {@code "${orders.lock-timeout:5s}"} are
     * resolved once, at startup.
     *
     * @return the timeout, or "" for the region's {@code hostsync.regions.<name>.acquire-timeout}
     */
    String timeout() default "";

    /**
     * What to do when the lock cannot be acquired within the timeout.
     *
     * @return {@link OnTimeout#THROW} by default
     */
    OnTimeout onTimeout() default OnTimeout.THROW;
}
