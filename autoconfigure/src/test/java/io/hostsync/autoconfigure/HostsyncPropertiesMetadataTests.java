package io.hostsync.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.hostsync.autoconfigure.docs.RegionSettings;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every property of {@link HostsyncProperties} is described in the configuration
 * metadata that IDEs read, so that they complete and explain it; a region's settings, which the
 * metadata format cannot describe (the properties of a map's values), by the javadoc of
 * {@link HostsyncProperties.Region}, from which IDEs take them.
 */
class HostsyncPropertiesMetadataTests {

    @Test
    void everyPropertyIsDescribedInTheConfigurationMetadata() throws Exception {
        Map<String, String> descriptions = descriptions("META-INF/spring-configuration-metadata.json");
        descriptions("META-INF/additional-spring-configuration-metadata.json")
                .forEach((name, description) -> descriptions
                        .merge(name, description, (first, second) -> first.isBlank() ? second : first));
        List<String> properties = new ArrayList<>();
        collect(HostsyncProperties.PREFIX, HostsyncProperties.class, properties);
        assertThat(properties).contains("hostsync.directory", "hostsync.annotations.lock-registry", "hostsync.regions");
        for (String property : properties) {
            assertThat(descriptions).as("metadata of %s", property).containsKey(property);
            assertThat(descriptions.get(property)).as("description of %s", property).isNotBlank();
        }
        assertThat(descriptions.get("management.health.hostsync.enabled")).as("the health contributor's switch")
                .isNotBlank();
    }

    @Test
    void theMetadataUsesOnlyNamesOfItsFormatAndNamesTheTypeOfARegionForIdes() throws Exception {
        for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            List<String> names = JsonPath.parse(read(resource)).read("$..name");
            assertThat(names).as("names in %s (a map's values have no metadata entries; '*' is not a name)", resource)
                    .noneMatch((name) -> name.contains("*"));
        }
        List<String> regionsType = JsonPath.parse(read("META-INF/spring-configuration-metadata.json"))
                .read("$.properties[?(@.name == 'hostsync.regions')].type");
        assertThat(regionsType).as("IDEs complete a region's settings from the map's value type")
                .containsExactly("java.util.Map<java.lang.String,io.hostsync.autoconfigure.HostsyncProperties$Region>");
    }

    @Test
    void everySettingOfARegionHasTheJavadocIdesShow() {
        List<Map<String, Object>> settings = RegionSettings.describe();
        assertThat(settings).extracting((setting) -> setting.get("name"))
                .contains("hostsync.regions.*.backend", "hostsync.regions.*.acquire-timeout",
                        "hostsync.regions.*.default");
        for (Map<String, Object> setting : settings) {
            assertThat((String) setting.get("description")).as("javadoc of the field of %s", setting.get("name"))
                    .isNotBlank();
        }
    }

    /** Walks the bean properties: nested groups recursively; a map is one property. */
    private static void collect(String prefix, Class<?> type, List<String> properties) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
                continue;
            }
            String name = prefix + "." + kebabCase(descriptor.getName());
            Class<?> propertyType = descriptor.getPropertyType();
            if (isGroup(propertyType)) {
                collect(name, propertyType, properties);
            } else {
                properties.add(name);
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.getEnclosingClass() == HostsyncProperties.class;
    }

    private static String kebabCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> descriptions(String resource) throws Exception {
        List<Map<String, Object>> entries = JsonPath.parse(read(resource)).read("$.properties[*]");
        Map<String, String> descriptions = new HashMap<>();
        for (Map<String, Object> entry : entries) {
            Object description = entry.get("description");
            descriptions.merge((String) entry.get("name"), (description != null) ? description.toString() : "",
                    (first, second) -> first.isBlank() ? second : first);
        }
        return descriptions;
    }

    /** Reads this module's resource, not one of the same name in a Spring Boot jar. */
    private static String read(String resource) throws Exception {
        URL classes = HostsyncProperties.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream input = new URL(classes, resource).openStream()) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
