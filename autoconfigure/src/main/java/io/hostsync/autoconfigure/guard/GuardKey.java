package io.hostsync.autoconfigure.guard;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The key expression of a guarded method ({@code key = "#order.id"}): a SpEL expression over the
 * method's arguments, by name ({@code #order}), or by position ({@code #p0}, {@code #a0}),
 * parsed and checked once, at startup, and evaluated at each call to choose the key's lock.
 */
final class GuardKey {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final String source;

    private final Expression expression;

    private final Method method;

    private final String annotation;

    private GuardKey(String source, Expression expression, Method method, String annotation) {
        this.source = source;
        this.expression = expression;
        this.method = method;
        this.annotation = annotation;
    }

    /**
     * Parses and checks a key expression.
     *
     * @param source the expression, such as {@code #order.id}
     * @param method the guarded method
     * @param annotation the annotation and method, for messages
     * @return the key
     * @throws InvalidGuardException if the expression does not parse or names a variable that is
     *     not a parameter of the method
     */
    static GuardKey parse(String source, Method method, String annotation) {
        Expression expression;
        try {
            expression = PARSER.parseExpression(source);
        } catch (ParseException ex) {
            throw new InvalidGuardException(annotation + " has key \"" + source + "\", which is not a SpEL expression: "
                    + ex.getMessage() + ". Write an expression over the method's arguments, such as \"#order.id\".",
                    ex);
        }
        Set<String> known = variables(method);
        List<String> unknown = new ArrayList<>();
        if (expression instanceof SpelExpression spel) {
            collectUnknown(spel.getAST(), known, unknown);
        }
        if (!unknown.isEmpty()) {
            throw new InvalidGuardException(annotation + " has key \"" + source + "\", which names " + String.join(", ",
                    unknown) + ": not a parameter of the method, whose arguments are " + known + ". Name a parameter"
                    + " (compile with -parameters to use names), or use #p0, #p1... by position.");
        }
        return new GuardKey(source, expression, method, annotation);
    }

    /**
     * Evaluates the key of one call.
     *
     * @param target the bean called
     * @param arguments the call's arguments
     * @return the key, never {@code null}
     * @throws IllegalArgumentException if the expression fails or gives {@code null}
     */
    Object evaluate(@Nullable Object target, @Nullable Object[] arguments) {
        Object key;
        try {
            key = this.expression.getValue(new MethodBasedEvaluationContext(target, this.method, arguments,
                    PARAMETER_NAMES));
        } catch (EvaluationException ex) {
            throw new IllegalArgumentException("The key \"" + this.source + "\" of " + this.annotation + " failed: "
                    + ex.getMessage() + ". The method was not called.", ex);
        }
        if (key == null) {
            throw new IllegalArgumentException("The key \"" + this.source + "\" of " + this.annotation + " is null for"
                    + " this call, so there is no lock to take; the method was not called. Pass a non-null value, or"
                    + " write the expression so that it never gives null.");
        }
        return key;
    }

    /** @return the expression as written */
    String source() {
        return this.source;
    }

    /** The variables a key expression may use: each parameter by name, #p0 and #a0 by position, and #root. */
    private static Set<String> variables(Method method) {
        Set<String> variables = new LinkedHashSet<>();
        @Nullable
        String @Nullable [] names = PARAMETER_NAMES.getParameterNames(method);
        if (names != null) {
            for (@Nullable
            String name : names) { // a discoverer may leave a name it cannot find null
                if (name != null) {
                    variables.add(name);
                }
            }
        }
        for (int index = 0; index < method.getParameterCount(); index++) {
            variables.add("p" + index);
            variables.add("a" + index);
        }
        return variables;
    }

    private static void collectUnknown(SpelNode node, Set<String> known, List<String> unknown) {
        if (node instanceof VariableReference) {
            String name = node.toStringAST().substring(1);
            if (!name.equals("root") && !name.equals("this") && !known.contains(name)) {
                unknown.add("#" + name);
            }
        }
        for (int child = 0; child < node.getChildCount(); child++) {
            collectUnknown(node.getChild(child), known, unknown);
        }
    }
}
