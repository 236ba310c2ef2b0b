package io.hostsync.autoconfigure.docs;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSetting;
import io.hostsync.docs.Documentation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/troubleshooting.md explains every error hostsync can produce: every exception class of the
 * main sources of core and autoconfigure, every message they build (its literal text, read from
 * the sources by {@link ErrorMessages}), and every action the startup failure analyzer suggests.
 * A new message fails this test until the page explains it.
 */
class TroubleshootingTests {

    private static final String[] MODULES = { "core", "autoconfigure" };

    /** The analyzer's action quotes a number from the message; the page writes it as this. */
    private static final String VALUE = "<value>";

    private static final String SAMPLE_NUMBER = "4242";

    /**
     * Messages of failures that cannot happen, by a fragment of their text: the page does not
     * explain them.
     */
    private static final Set<String> IMPOSSIBLE = Set.of("an uninterruptible wait was interrupted",
            "a wait of zero was interrupted", "cannot conflict", "Every Java platform must support SHA-256");

    private static final String HOW_TO_ADD = "Add it to docs/troubleshooting.md, in the section of its situation:"
            + " the message in a ```text block with <placeholders> for the parts that vary, then **Cause.** and"
            + " **Fix.**; a new exception type also gets a row in 'Exception types' (see 'Adding an entry' at the"
            + " end of the page).";

    private final Path root = Documentation.root();

    private final String page = ErrorMessages
            .normalize(Documentation.read(this.root.resolve("docs/troubleshooting.md")));

    @Test
    void everyExceptionTypeIsNamedInTheTroubleshootingPage() {
        List<String> classes = ErrorMessages.exceptionClasses(this.root, MODULES);
        assertThat(classes).contains("io.hostsync.RegionFullException",
                "io.hostsync.autoconfigure.guard.InvalidGuardException");
        List<String> missing = classes.stream()
                .map((name) -> name.substring(name.lastIndexOf('.') + 1))
                .filter((name) -> !this.page.contains("`" + name + "`"))
                .toList();
        assertThat(missing).as("exception types missing from docs/troubleshooting.md. " + HOW_TO_ADD).isEmpty();
    }

    @Test
    void everyErrorMessageIsExplainedInTheTroubleshootingPage() {
        List<ErrorMessages.Message> messages = ErrorMessages.messages(this.root, MODULES);
        assertThat(messages).extracting(ErrorMessages.Message::type)
                .contains("RegionMismatchException", "InvalidGuardException", "corrupted", "health problem");
        StringBuilder missing = new StringBuilder();
        for (ErrorMessages.Message message : messages) {
            if (IMPOSSIBLE.stream().anyMatch(message.template()::contains)) {
                continue;
            }
            List<String> absent = message.fragments().stream().filter((fragment) -> !this.page.contains(fragment))
                    .toList();
            if (!absent.isEmpty()) {
                missing.append("  ").append(message.describe()).append("\n    not found: ").append(absent).append('\n');
            }
        }
        if (missing.length() > 0) {
            fail("Error messages that docs/troubleshooting.md does not explain (each literal part of a message must"
                    + " appear in the page):\n" + missing + HOW_TO_ADD);
        }
    }

    @Test
    void everyActionOfTheStartupFailureAnalyzerIsInTheTroubleshootingPage() throws Exception {
        FailureAnalyzer analyzer = hostsyncFailureAnalyzer();
        Set<String> actions = new LinkedHashSet<>();
        for (HostsyncException failure : sampleFailures()) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            assertThat(analysis).as("analysis of %s", failure.getClass().getSimpleName()).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
            actions.add(ErrorMessages.normalize(analysis.getAction().replace(SAMPLE_NUMBER, VALUE)));
        }
        assertThat(actions).hasSizeGreaterThan(5);
        List<String> missing = actions.stream().filter((action) -> !this.page.contains(action)).toList();
        assertThat(missing).as("actions of HostsyncFailureAnalyzer missing from docs/troubleshooting.md (written with"
                + " the region as <name> and numbers as " + VALUE + ")").isEmpty();
    }

    /** One failure of each hostsync exception type, and one of each message the analyzer tells apart. */
    private List<HostsyncException> sampleFailures() throws Exception {
        List<HostsyncException> failures = new ArrayList<>();
        for (String name : ErrorMessages.exceptionClasses(this.root, MODULES)) {
            Class<?> type = Class.forName(name);
            if (HostsyncException.class.isAssignableFrom(type)) {
                failures.add(instantiate(type.asSubclass(HostsyncException.class), "A failure."));
            }
        }
        // No region name: the actions then name the region <name>, as the page writes it.
        Path file = Path.of("/dev/shm/hostsync-orders");
        for (RegionSetting setting : RegionSetting.values()) {
            Serializable value = (setting == RegionSetting.BACKEND) ? Backend.FILE : Long.valueOf(SAMPLE_NUMBER);
            failures.add(new RegionMismatchException("Region 'orders' differs.", null, file, setting, value, value));
            if (setting != RegionSetting.BACKEND) {
                failures.add(new RegionFullException("Region 'orders' is full.", null, file, setting,
                        Long.parseLong(SAMPLE_NUMBER)));
            }
        }
        failures.add(new RegionAccessException("Region directory /srv/regions of region 'orders' is not a directory",
                null, Path.of("/srv/regions"), RegionAccessException.Refused.DIRECTORY, null));
        failures.add(new BackendRefusedException("Region 'orders' cannot use posix.", null, file, Backend.POSIX));
        return failures;
    }

    /**
     * An exception made with its shortest public constructor: the message for the parameter
     * named {@code message} (the sources are compiled with {@code -parameters}), zero for
     * numbers, null for the rest (the typed fields, such as the region name, that the analyzer
     * must do without).
     */
    private static HostsyncException instantiate(Class<? extends HostsyncException> type, String message)
            throws Exception {
        Constructor<?> constructor = Arrays.stream(type.getConstructors())
                .min(Comparator.comparingInt(Constructor::getParameterCount))
                .orElseThrow(() -> new IllegalStateException(type + " has no public constructor"));
        Parameter[] parameters = constructor.getParameters();
        Object[] arguments = new Object[parameters.length];
        for (int index = 0; index < parameters.length; index++) {
            if (parameters[index].getName().equals("message")) {
                arguments[index] = message;
            } else if (parameters[index].getType() == int.class) {
                arguments[index] = 0;
            } else if (parameters[index].getType() == long.class) {
                arguments[index] = 0L;
            }
        }
        return (HostsyncException) constructor.newInstance(arguments);
    }

    /** The analyzer as Spring Boot finds it, through spring.factories. */
    private static FailureAnalyzer hostsyncFailureAnalyzer() {
        FailureHandler ignoreOtherAnalyzers = FailureHandler.handleMessage((message, failure) -> {
        });
        return SpringFactoriesLoader.forDefaultResourceLocation(TroubleshootingTests.class.getClassLoader())
                .load(FailureAnalyzer.class, null, ignoreOtherAnalyzers)
                .stream()
                .filter((analyzer) -> analyzer.getClass().getName()
                        .equals("io.hostsync.autoconfigure.HostsyncFailureAnalyzer"))
                .findFirst()
                .orElseThrow();
    }
}
