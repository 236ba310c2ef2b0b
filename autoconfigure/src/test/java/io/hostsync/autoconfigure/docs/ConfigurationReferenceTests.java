package io.hostsync.autoconfigure.docs;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.docs.Documentation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/configuration.md is generated from the configuration metadata the build writes
 * ({@code META-INF/spring-configuration-metadata.json}, the file IDEs read) and, for the settings
 * of a region, which the metadata format cannot describe, from what IDEs read instead
 * ({@link RegionSettings}), so that the reference cannot drift from the properties: this test fails when the committed page differs from what it
 * would generate, and rewrites it when run with {@code -Dhostsync.docs.update=true}.
 */
class ConfigurationReferenceTests {

    static final String REGENERATE = "./mvnw -q -B -pl autoconfigure -am verify -Dtest=ConfigurationReferenceTests"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + Documentation.UPDATE_PROPERTY + "=true";

    private static final String REGION_WILDCARD = ".*";

    private static final Pattern QUALIFIED_TYPE = Pattern.compile("\\b(?:[a-z][a-z0-9]*\\.)+([A-Z][A-Za-z0-9]*)");

    private final Path page = Documentation.root().resolve("docs/configuration.md");

    @Test
    void theConfigurationReferenceIsGeneratedFromTheConfigurationMetadata() {
        String generated = generate(readMetadata());
        if (Documentation.updating()) {
            if (Documentation.write(this.page, generated)) {
                System.out.println("Regenerated " + this.page);
            }
            return;
        }
        String committed = Documentation.read(this.page);
        if (!committed.equals(generated)) {
            fail("docs/configuration.md is generated from the configuration metadata and differs from it:\n"
                    + Documentation.diff(generated, committed, 12) + "Change the javadoc of HostsyncProperties (or"
                    + " additional-spring-configuration-metadata.json), not the page, then regenerate it with:\n  "
                    + REGENERATE);
        }
    }

    @Test
    void theReferenceDocumentsEveryPropertyWithItsTypeAndDefault() {
        String generated = generate(readMetadata());
        assertThat(generated).contains(
                "| `hostsync.regions.<name>.size` | `DataSize` | `1MB` | Size of the region file.",
                "| `hostsync.health.max-hold` | `Duration` | `30s` |", "| `hostsync.directory` | `Path` | `/dev/shm` |",
                "| `hostsync.regions.<name>.locks` | `List<String>` |  | Named locks",
                "| `hostsync.regions.<name>.backend` | `Backend` |  | Lock implementation of the region:",
                "Values: `robust`, `posix`, `file`", "| `management.health.hostsync.enabled` | `Boolean` | `true` |");
    }

    /** Renders the page: one section per group of properties, one table row per property. */
    static String generate(Map<String, Object> metadata) {
        List<Map<String, Object>> properties = new ArrayList<>(list(metadata.get("properties")));
        properties.addAll(RegionSettings.describe());
        Map<String, List<Map<String, Object>>> hints = new LinkedHashMap<>();
        for (Map<String, Object> hint : list(metadata.get("hints"))) {
            hints.put((String) hint.get("name"), list(hint.get("values")));
        }
        List<String> groups = list(metadata.get("groups")).stream().map((group) -> (String) group.get("name")).toList();
        Map<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();
        properties.stream()
                .sorted(Comparator.comparing((Map<String, Object> property) -> sectionOrder(section(property, groups)))
                        .thenComparing((property) -> (String) property.get("name")))
                .forEach((property) -> sections.computeIfAbsent(section(property, groups), (key) -> new ArrayList<>())
                        .add(property));

        StringBuilder page = new StringBuilder();
        page.append("<!-- Generated from the configuration metadata by ConfigurationReferenceTests: do not edit.\n")
                .append("     Regenerate with: ").append(REGENERATE).append(" -->\n\n");
        page.append("# Configuration reference\n\n");
        page.append("Every property of the hostsync Spring Boot starter, generated from the configuration metadata\n")
                .append("that the build writes and that IDEs use to complete and explain `application.yml`. A region's\n")
                .append("properties (which the metadata format cannot list: IDEs complete them from the javadoc of\n")
                .append("`HostsyncProperties.Region`, and so does this page) are under `hostsync.regions.<name>`,\n")
                .append("where `<name>` is the region name (the file is `<directory>/hostsync-<name>`). A region name\n")
                .append("with a dot goes in brackets: `hostsync.regions.[orders.v2].size`, and in YAML the quoted key\n")
                .append("`\"[orders.v2]\":`. Without them Spring Boot would read `orders.v2` as region `orders` with a\n")
                .append("setting `v2`, so startup fails and names the property to write instead, as it does for any\n")
                .append("`hostsync.*` property that is not listed here. Durations take `500ms`, `30s`, `2m` or ISO-8601\n")
                .append("(`PT30S`); sizes take `64KB`, `4MB`. How the properties are used:\n")
                .append("[getting-started.md](getting-started.md), [annotations.md](annotations.md),\n")
                .append("[operations.md](operations.md).\n");
        sections.forEach((section, members) -> {
            page.append("\n## `").append(display(section)).append("`\n\n");
            page.append("| Property | Type | Default | Description |\n");
            page.append("|---|---|---|---|\n");
            for (Map<String, Object> property : members) {
                String name = (String) property.get("name");
                page.append("| `")
                        .append(display(name))
                        .append("` | ")
                        .append(code(simpleType((String) property.get("type"))))
                        .append(" | ")
                        .append(code(defaultValue(property.get("defaultValue"))))
                        .append(" | ")
                        .append(cell(description(property, hints)))
                        .append(" |\n");
            }
        });
        return page.toString();
    }

    /** The group a property is listed under: its region for region settings, else its longest group. */
    private static String section(Map<String, Object> property, List<String> groups) {
        String name = (String) property.get("name");
        int wildcard = name.indexOf(REGION_WILDCARD + ".");
        if (wildcard >= 0) {
            return name.substring(0, wildcard + REGION_WILDCARD.length());
        }
        return groups.stream()
                .filter((group) -> name.startsWith(group + "."))
                .max(Comparator.comparingInt(String::length))
                .orElse(name.substring(0, name.lastIndexOf('.')));
    }

    /** The top-level group first, then the region settings, then the other groups in order. */
    private static String sectionOrder(String section) {
        if (section.equals(HostsyncProperties.PREFIX)) {
            return "0";
        }
        return (section.endsWith(REGION_WILDCARD) ? "1" : "2") + section;
    }

    private static String description(Map<String, Object> property, Map<String, List<Map<String, Object>>> hints) {
        String name = (String) property.get("name");
        StringBuilder text = new StringBuilder(String.valueOf(property.getOrDefault("description", "")).strip());
        Map<String, Object> deprecation = map(property.get("deprecation"));
        if (deprecation != null) {
            text.append(" Deprecated");
            if (deprecation.get("replacement") != null) {
                text.append(": use `").append(display((String) deprecation.get("replacement"))).append('`');
            }
            text.append('.');
        }
        List<Map<String, Object>> values = hints.getOrDefault(name, hints.get(name + ".keys"));
        if (property.get("values") instanceof List<?> names) {
            text.append("<br>Values: ")
                    .append(names.stream().map((value) -> "`" + value + "`").collect(Collectors.joining(", ")));
        } else if (values != null) {
            text.append(name.endsWith("regions") ? "<br>Names: " : "<br>Values: ");
            text.append(values.stream()
                    .map((value) -> "`" + value.get("value") + "`"
                            + ((value.get("description") != null) ? ": " + value.get("description") : ""))
                    .collect(Collectors.joining("<br>")));
        }
        return text.toString();
    }

    private static String display(String name) {
        return name.replace(REGION_WILDCARD, ".<name>");
    }

    private static String simpleType(String type) {
        return (type != null) ? QUALIFIED_TYPE.matcher(type).replaceAll("$1").replace("$", ".").replace(",", ", ")
                : "";
    }

    private static String defaultValue(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> items) {
            return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return String.valueOf(value);
    }

    private static String code(String text) {
        return text.isEmpty() ? "" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static Map<String, Object> readMetadata() {
        URL classes = HostsyncProperties.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream input = new URL(classes, "META-INF/spring-configuration-metadata.json").openStream()) {
            return JsonPath.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8)).json();
        } catch (Exception ex) {
            throw new IllegalStateException("Cannot read the configuration metadata of " + classes
                    + ": build the module first (./mvnw -pl autoconfigure -am verify)", ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (value != null) ? (List<Map<String, Object>>) value : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
