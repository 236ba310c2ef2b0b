package io.hostsync.autoconfigure.docs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.hostsync.annotation.WriteGuarded;

import org.springframework.core.annotation.AliasFor;

/**
 * The composed annotation of docs/annotations.md. Tested by {@link AnnotationExamplesTests}.
 */
// tag::composed[]
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@WriteGuarded(lock = "inventory")
public @interface InventoryChange {

    @AliasFor(annotation = WriteGuarded.class)
    String timeout() default "2s";
}
// end::composed[]
