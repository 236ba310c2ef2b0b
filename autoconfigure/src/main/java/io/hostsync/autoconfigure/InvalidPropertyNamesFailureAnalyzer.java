package io.hostsync.autoconfigure;

import java.util.stream.Collectors;

import io.hostsync.autoconfigure.InvalidPropertyNamesException.InvalidPropertyName;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed with an {@link InvalidPropertyNamesException}: each property
 * that would be ignored or misread, where it was set, and the name to write instead, such as a
 * region name with a dot in brackets.
 */
final class InvalidPropertyNamesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPropertyNamesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPropertyNamesException cause) {
        String description = "These hostsync properties would be ignored or misread:\n"
                + cause.getNames().stream().map((name) -> "\n    - " + name.describe()).collect(Collectors.joining());
        String action = cause.getNames().stream().map(InvalidPropertyNamesFailureAnalyzer::fix)
                .collect(Collectors.joining("\n", "", "\n\n"))
                + "A region name with a dot must be written in brackets: hostsync.regions.[orders.v2].size, in"
                + " YAML the key \"[orders.v2]\": (quoted). Region"
                + " names may use the characters [A-Za-z0-9._-]. docs/configuration.md lists every hostsync property.";
        return new FailureAnalysis(description, action, cause);
    }

    private static String fix(InvalidPropertyName name) {
        if (name.replacement() == null) {
            return "Correct or remove '" + name.name() + "'.";
        }
        return switch (name.problem()) {
            case REGION_NAME_WITH_DOT, CHARACTERS_DROPPED -> "Write '" + name.replacement() + "' instead of '"
                    + name.name() + "'.";
            case UNKNOWN_REGION_SETTING, UNKNOWN_PROPERTY -> "Did you mean '" + name.replacement() + "'? Correct '"
                    + name.name() + "'.";
        };
    }
}
