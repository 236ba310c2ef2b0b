package io.hostsync.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.origin.Origin;

/**
 * Properties under {@code hostsync.*} that hostsync would ignore or misread: a region name with
 * a dot written without brackets (Spring Boot splits it at the dot, and the region is never
 * configured), a region name with characters that Spring Boot drops from property names (such
 * as {@code ../x}, read as region {@code x}), or a setting that does not exist. Thrown at
 * startup, so that the application does not run on regions it was not configured with.
 */
public class InvalidPropertyNamesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<InvalidPropertyName> names;

    /**
     * Creates the exception.
     *
     * @param names the properties, in the order they were found; at least one
     */
    public InvalidPropertyNamesException(List<InvalidPropertyName> names) {
        super("These hostsync properties would be ignored or misread: "
                + names.stream().map(InvalidPropertyName::describe).collect(Collectors.joining("; ")));
        this.names = List.copyOf(names);
    }

    /**
     * Returns the properties that would be ignored or misread.
     *
     * @return the properties, at least one
     */
    public List<InvalidPropertyName> getNames() {
        return this.names;
    }

    /** Why a property would be ignored or misread. */
    public enum Problem {

        /** A region name with a dot, not in brackets: Spring Boot splits it, and ignores the property. */
        REGION_NAME_WITH_DOT,

        /** Characters that Spring Boot drops from a property name outside brackets, such as "/" or " ". */
        CHARACTERS_DROPPED,

        /** A name under {@code hostsync.regions.<name>} that is not a region setting. */
        UNKNOWN_REGION_SETTING,

        /** A name under {@code hostsync} that no setting has. */
        UNKNOWN_PROPERTY
    }

    /**
     * One property that would be ignored or misread.
     *
     * @param name the property name as written
     * @param origin where it was set, such as a line of application.yml, or {@code null}
     * @param problem why it would be ignored or misread
     * @param replacement the property name to write instead, or {@code null} if none can be
     *     guessed
     */
    public record InvalidPropertyName(String name, @Nullable Origin origin, Problem problem,
            @Nullable String replacement) {

        /**
         * Describes the property, where it was set, and what is wrong with it.
         *
         * @return one sentence
         */
        public String describe() {
            String where = "'" + this.name + "'" + ((this.origin != null) ? " (" + this.origin + ")" : "");
            return switch (this.problem) {
                case REGION_NAME_WITH_DOT -> where + " names a region with a dot, which Spring Boot reads as"
                        + " nested properties and ignores: a region name with a dot must be written in brackets";
                case CHARACTERS_DROPPED -> where + " has characters that Spring Boot drops from a property name"
                        + " outside brackets, so it would configure another region or property";
                case UNKNOWN_REGION_SETTING -> where + " is not a setting of a region";
                case UNKNOWN_PROPERTY -> where + " is not a hostsync property";
            };
        }
    }
}
