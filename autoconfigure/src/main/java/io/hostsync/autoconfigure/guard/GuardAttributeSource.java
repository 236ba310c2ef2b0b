package io.hostsync.autoconfigure.guard;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.hostsync.Names;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds how a method is guarded: its {@link ReadGuarded} or {@link WriteGuarded} annotation,
 * direct or composed ({@code @AliasFor} attributes merged), on the most specific method behind
 * the proxy, on the method it overrides or implements, or else on the class (for its public
 * methods). Every guard is checked once and cached, and a method that cannot be guarded as
 * annotated is refused with an {@link InvalidGuardException} naming it.
 */
final class GuardAttributeSource {

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(ReadGuarded.class, WriteGuarded.class);

    /** Return types of methods that start work and return before it ends, by class name. */
    private static final List<String> ASYNCHRONOUS_TYPES = List.of(Future.class.getName(),
            CompletionStage.class.getName(), "org.reactivestreams.Publisher", "kotlinx.coroutines.flow.Flow");

    private final PropertyResolver placeholders;

    private final GuardRegions regions;

    private final Supplier<GuardLocks> locks;

    private final Map<MethodClassKey, Optional<Guard>> guards = new ConcurrentHashMap<>();

    private final Map<Class<?>, List<Guard>> guardedMethods = new ConcurrentHashMap<>();

    /**
     * Creates the source.
     *
     * @param placeholders resolves {@code ${...}} in timeouts
     * @param regions the regions that annotations may name
     * @param locks where the locks come from, asked for when the first guard is resolved
     */
    GuardAttributeSource(PropertyResolver placeholders, GuardRegions regions, Supplier<GuardLocks> locks) {
        this.placeholders = placeholders;
        this.regions = regions;
        this.locks = locks;
    }

    /**
     * Tells whether a class may have guarded methods, cheaply, without checking them.
     *
     * @param targetClass the class
     * @return {@code false} if no method nor the class can carry the annotations
     */
    static boolean isCandidateClass(Class<?> targetClass) {
        return AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS);
    }

    /**
     * Tells whether a class, one of its methods, or an interface it implements carries
     * {@code @ReadGuarded} or {@code @WriteGuarded}, directly or as a meta-annotation, without
     * checking whether they can be guarded: what AOT processing asks of every bean class.
     *
     * @param type the class of a bean
     * @return {@code true} if an annotation is found
     */
    static boolean isAnnotated(Class<?> type) {
        Set<AnnotatedElement> elements = new LinkedHashSet<>();
        elements.add(type);
        ReflectionUtils.doWithMethods(type, elements::add);
        for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            elements.add(implemented);
            ReflectionUtils.doWithMethods(implemented, elements::add);
        }
        return elements.stream().anyMatch((element) -> ANNOTATIONS.stream()
                .anyMatch((annotation) -> MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY)
                        .isPresent(annotation)));
    }

    /**
     * Returns the guarded methods of a class, checking every one of them.
     *
     * @param targetClass the class of a bean
     * @return the guards of its methods, empty if none is guarded
     * @throws InvalidGuardException naming the first method that cannot be guarded as annotated
     */
    List<Guard> guardedMethods(Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        List<Guard> cached = this.guardedMethods.get(userClass);
        if (cached != null) {
            return cached;
        }
        List<Guard> found = new ArrayList<>();
        if (isCandidateClass(userClass)) {
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass,
                    ReflectionUtils.USER_DECLARED_METHODS)) {
                Guard guard = find(method, userClass);
                if (guard != null) {
                    found.add(guard);
                }
            }
        }
        List<Guard> guards = List.copyOf(found);
        this.guardedMethods.put(userClass, guards);
        return guards;
    }

    /**
     * Returns how a method is guarded when called on an instance of the target class.
     *
     * @param method the method called, possibly declared by an interface
     * @param targetClass the class of the target, or {@code null} if unknown
     * @return the guard, or {@code null} if the method is not guarded
     * @throws InvalidGuardException if the method cannot be guarded as annotated
     */
    @Nullable
    Guard find(Method method, @Nullable Class<?> targetClass) {
        if (ReflectionUtils.isObjectMethod(method)) {
            return null;
        }
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Optional<Guard> cached = this.guards.get(key);
        if (cached == null) {
            // Not computeIfAbsent: resolving may create region beans, which must not happen inside the map's lock.
            cached = Optional.ofNullable(resolve(method, targetClass));
            this.guards.putIfAbsent(key, cached);
        }
        return cached.orElse(null);
    }

    private @Nullable Guard resolve(Method method, @Nullable Class<?> targetClass) {
        Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
        Method specificMethod = AopUtils.getMostSpecificMethod(method, userClass);
        Attributes attributes = attributes(specificMethod, specificMethod, true);
        if (attributes == null && specificMethod != method) {
            attributes = attributes(method, specificMethod, true);
        }
        if (attributes == null && Modifier.isPublic(specificMethod.getModifiers())
                && !Modifier.isStatic(specificMethod.getModifiers())) {
            attributes = attributes(userClass, specificMethod, false);
        }
        return (attributes != null) ? guard(specificMethod, attributes) : null;
    }

    private @Nullable Attributes attributes(AnnotatedElement element, Method method, boolean onMethod) {
        ReadGuarded read = AnnotatedElementUtils.findMergedAnnotation(element, ReadGuarded.class);
        WriteGuarded write = AnnotatedElementUtils.findMergedAnnotation(element, WriteGuarded.class);
        if (read != null && write != null) {
            String where = onMethod ? "" : " (through its class " + ((Class<?>) element).getName() + ")";
            throw new InvalidGuardException(describe(method) + " is annotated both @ReadGuarded and @WriteGuarded"
                    + where + ". Keep one: @WriteGuarded if the method changes what the lock protects, else"
                    + " @ReadGuarded.");
        }
        if (read != null) {
            return new Attributes(Guard.Mode.READ, read.region(), read.lock(), read.key(), read.timeout(),
                    read.onTimeout(), onMethod);
        }
        if (write != null) {
            return new Attributes(Guard.Mode.WRITE, write.region(), write.lock(), write.key(), write.timeout(),
                    write.onTimeout(), onMethod);
        }
        return null;
    }

    private Guard guard(Method method, Attributes attributes) {
        String annotation = attributes.mode().annotation() + " on " + describe(method);
        checkInterceptable(method, annotation);
        checkReturnType(method, attributes, annotation);
        String region = this.regions.resolve(attributes.region(), annotation);
        String lock = attributes.lock().isEmpty() ? Names.DEFAULT_LOCK : attributes.lock();
        Duration timeout = timeout(attributes.timeout(), region, annotation);
        GuardLocks locks = this.locks.get();
        if (!attributes.key().isEmpty()) {
            GuardKey key = GuardKey.parse(attributes.key(), method, annotation);
            return new Guard(method, attributes.mode(), region, lock, timeout, attributes.onTimeout(),
                    attributes.onMethod(), null, "the key " + attributes.key() + " of "
                            + locks.describe(region, lock, attributes.mode()),
                    key,
                    locks.keyedLocks(region, lock, attributes.mode(), annotation));
        }
        return new Guard(method, attributes.mode(), region, lock, timeout, attributes.onTimeout(),
                attributes.onMethod(), locks.lock(region, lock, attributes.mode(), annotation),
                locks.describe(region, lock, attributes.mode()), null, null);
    }

    private static void checkInterceptable(Method method, String annotation) {
        if (Modifier.isPrivate(method.getModifiers())) {
            throw new InvalidGuardException(annotation + " cannot be guarded: it is private, and a proxy intercepts"
                    + " only the calls other beans make to its public, protected or package-private methods. Make"
                    + " it non-private and call it through the bean, or take the lock in code.");
        }
        if (Modifier.isStatic(method.getModifiers())) {
            throw new InvalidGuardException(annotation + " cannot be guarded: it is static, and a proxy intercepts"
                    + " only calls to instance methods. Make it an instance method of a bean, or take the lock in"
                    + " code.");
        }
    }

    private static void checkReturnType(Method method, Attributes attributes, String annotation) {
        Class<?> returnType = method.getReturnType();
        for (String asynchronous : ASYNCHRONOUS_TYPES) {
            if (isAssignable(asynchronous, returnType)) {
                throw new InvalidGuardException(annotation + " cannot be guarded: it returns a "
                        + returnType.getSimpleName() + ", so the lock would be released when the method returns,"
                        + " before the work it started ends. Take the lock inside the asynchronous work, or return"
                        + " the result itself.");
            }
        }
        if (attributes.onTimeout() == OnTimeout.SKIP && returnType.isPrimitive() && returnType != void.class) {
            throw new InvalidGuardException(annotation + " has onTimeout = SKIP but returns " + returnType.getName()
                    + ", which has no value that says the call was skipped. Return a wrapper such as "
                    + ClassUtils.resolvePrimitiveIfNecessary(returnType).getSimpleName() + " (null when skipped) or an"
                    + " Optional (empty when skipped), or use onTimeout = THROW.");
        }
    }

    private static boolean isAssignable(String typeName, Class<?> type) {
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            if (candidate.getName().equals(typeName)) {
                return true;
            }
        }
        return ClassUtils.getAllInterfacesForClassAsSet(type).stream().anyMatch((i) -> i.getName().equals(typeName));
    }

    private Duration timeout(String timeout, String region, String annotation) {
        if (timeout.isEmpty()) {
            return this.regions.acquireTimeout(region);
        }
        String resolved;
        try {
            resolved = this.placeholders.resolveRequiredPlaceholders(timeout).trim();
        } catch (IllegalArgumentException ex) {
            throw new InvalidGuardException(annotation + " has timeout \"" + timeout + "\", whose placeholder cannot be"
                    + " resolved: " + ex.getMessage() + ". Define the property, or give a default such as"
                    + " \"${name:5s}\".", ex);
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(resolved);
        } catch (IllegalArgumentException ex) {
            throw new InvalidGuardException(annotation + " has timeout \"" + timeout + "\""
                    + (resolved.equals(timeout) ? "" : " (\"" + resolved + "\")") + ", which is not a duration."
                    + " Give one such as \"5s\", \"500ms\" or \"PT5S\" (a bare number is milliseconds).", ex);
        }
        if (duration.isNegative()) {
            throw new InvalidGuardException(annotation + " has timeout \"" + timeout + "\", which is negative. Give"
                    + " zero to try once without waiting, or a positive duration such as \"5s\".");
        }
        return duration;
    }

    /**
     * Returns the value a skipped call returns.
     *
     * @param returnType the method's return type, not a primitive other than void
     * @return an empty optional for the optional types, else {@code null}
     */
    static @Nullable Object skippedResult(Class<?> returnType) {
        if (returnType == Optional.class) {
            return Optional.empty();
        }
        if (returnType == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (returnType == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (returnType == OptionalDouble.class) {
            return OptionalDouble.empty();
        }
        return null;
    }

    /**
     * Describes a method for messages.
     *
     * @param method the method
     * @return its class name, name and parameter types, such as
     *     {@code com.example.Prices.rebuild(String)}
     */
    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** The attributes of the annotation that applies, before they are resolved and checked. */
    private record Attributes(Guard.Mode mode, String region, String lock, String key, String timeout,
            OnTimeout onTimeout, boolean onMethod) {
    }
}
