package io.hostsync.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every property of {@link HostsyncProperties}, the fields of each region included,
 * is described in the configuration metadata that IDEs read, so that they complete and explain
 * it.
 */
class HostsyncPropertiesMetadataTests {

    @Test
    void everyPropertyIsDescribedInTheConfigurationMetadata() throws Exception {
        Map<String, String> descriptions = descriptions("META-INF/spring-configuration-metadata.json");
        descriptions("META-INF/additional-spring-configuration-metadata.json").forEach((name, description) -> descriptions
            .merge(name, description, (first, second) -> first.isBlank() ? second : first));
        List<String> properties = new ArrayList<>();
        collect(HostsyncProperties.PREFIX, HostsyncProperties.class, properties);
        assertThat(properties).contains("hostsync.directory", "hostsync.annotations.lock-registry",
                "hostsync.regions.*.backend", "hostsync.regions.*.acquire-timeout", "hostsync.regions.*.default");
        for (String property : properties) {
            assertThat(descriptions).as("metadata of %s", property).containsKey(property);
            assertThat(descriptions.get(property)).as("description of %s", property).isNotBlank();
        }
    }

    @Test
    void additionalMetadataDescribesExactlyTheFieldsOfARegion() throws Exception {
        List<String> names = JsonPath.parse(read("META-INF/additional-spring-configuration-metadata.json"))
            .read("$.properties[?(@.name =~ /hostsync\\.regions\\.\\*\\..*/)].name");
        List<String> properties = new ArrayList<>();
        collect(HostsyncProperties.PREFIX, HostsyncProperties.class, properties);
        assertThat(names).containsExactlyInAnyOrderElementsOf(
                properties.stream().filter((name) -> name.startsWith("hostsync.regions.*.")).toList());
    }

    /** Walks the bean properties: nested groups recursively, map values as {@code <map>.*}. */
    private static void collect(String prefix, Class<?> type, List<String> properties) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
                continue;
            }
            String name = prefix + "." + kebabCase(descriptor.getName());
            Class<?> propertyType = descriptor.getPropertyType();
            if (isGroup(propertyType)) {
                collect(name, propertyType, properties);
            }
            else if (Map.class.isAssignableFrom(propertyType)) {
                properties.add(name);
                Class<?> valueType = mapValueType(descriptor.getReadMethod().getGenericReturnType());
                if (isGroup(valueType)) {
                    collect(name + ".*", valueType, properties);
                }
            }
            else {
                properties.add(name);
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.getEnclosingClass() == HostsyncProperties.class;
    }

    private static Class<?> mapValueType(Type type) {
        Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
        return (value instanceof Class<?> valueClass) ? valueClass : Object.class;
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
