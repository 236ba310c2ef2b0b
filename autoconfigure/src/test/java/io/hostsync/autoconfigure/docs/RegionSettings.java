package io.hostsync.autoconfigure.docs;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.docs.Documentation;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The settings of a region ({@code hostsync.regions.<name>.*}), described the way the
 * configuration processor describes a property: the configuration metadata format has no
 * entries for the properties of a map's values (Spring Boot declined a {@code *} wildcard, issue
 * 9945), so the processor writes only {@code hostsync.regions}, and IDEs complete and explain a
 * region's settings from {@link HostsyncProperties.Region} itself: its bean properties and the
 * javadoc of its fields. This reads the same two, so that the reference page shows what IDEs
 * show and the javadoc stays the one description.
 */
public final class RegionSettings {

    /** How a region setting is named in the reference: the map's name, then {@code .*.}. */
    public static final String PREFIX = HostsyncProperties.PREFIX + ".regions.*.";

    private static final Pattern SETTER = Pattern
            .compile("public void set(\\w+)\\([^)]*\\)\\s*\\{\\s*this\\.(\\w+)\\s*=");

    private static final Pattern FIELD_JAVADOC = Pattern
            .compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*private\\s+[\\w<>, .@]+?\\s+(\\w+)\\s*(?:=[^;]*)?;",
                    Pattern.DOTALL);

    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}");

    private RegionSettings() {
    }

    /**
     * Describes every setting of a region, in the shape of the entries of
     * {@code spring-configuration-metadata.json}: {@code name}, {@code type},
     * {@code description}, {@code defaultValue} where there is one, and {@code values} (the
     * names an enum setting takes).
     *
     * @return the settings, by property name
     */
    public static List<Map<String, Object>> describe() {
        String source = regionSource();
        Map<String, String> fieldOfProperty = new LinkedHashMap<>();
        Matcher setter = SETTER.matcher(source);
        while (setter.find()) {
            fieldOfProperty.put(Character.toLowerCase(setter.group(1).charAt(0)) + setter.group(1).substring(1),
                    setter.group(2));
        }
        Map<String, String> javadocOfField = new LinkedHashMap<>();
        Matcher field = FIELD_JAVADOC.matcher(source);
        while (field.find()) {
            javadocOfField.put(field.group(2), plainText(field.group(1)));
        }
        HostsyncProperties.Region defaults = new HostsyncProperties.Region();
        List<Map<String, Object>> settings = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(HostsyncProperties.Region.class)) {
            if (property.getWriteMethod() == null) {
                continue;
            }
            String fieldName = fieldOfProperty.get(property.getName());
            Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("name", PREFIX + kebabCase(property.getName()));
            setting.put("type", typeName(property.getReadMethod().getGenericReturnType()));
            setting.put("description", (fieldName != null) ? javadocOfField.getOrDefault(fieldName, "") : "");
            Object value = defaultValue(property.getReadMethod(), defaults);
            if (value != null) {
                setting.put("defaultValue", value);
            }
            if (property.getPropertyType().isEnum()) {
                setting.put("values", Arrays.stream(property.getPropertyType().getEnumConstants())
                        .map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
                        .toList());
            }
            settings.add(setting);
        }
        return settings;
    }

    private static String regionSource() {
        String source = Documentation.read(Documentation.root()
                .resolve("autoconfigure/src/main/java/io/hostsync/autoconfigure/HostsyncProperties.java"));
        int start = source.indexOf("public static class Region {");
        if (start < 0) {
            throw new IllegalStateException("HostsyncProperties.java declares no 'public static class Region'");
        }
        return source.substring(start);
    }

    private static String plainText(String javadoc) {
        String text = javadoc.replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\s+", " ").strip();
        return INLINE_TAG.matcher(text).replaceAll("$1");
    }

    /** A default as the processor writes it: durations and sizes in their shortest exact form. */
    private static Object defaultValue(Method getter, Object defaults) {
        Object value;
        try {
            value = getter.invoke(defaults);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
        if (value instanceof Duration duration) {
            return duration(duration);
        }
        if (value instanceof DataSize size) {
            return dataSize(size);
        }
        if (value instanceof List<?> list && list.isEmpty()) {
            return null;
        }
        return value;
    }

    private static String duration(Duration duration) {
        for (ChronoUnit unit : List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
            if (!duration.isZero() && duration.toNanos() % unit.getDuration().toNanos() == 0) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration);
    }

    private static String dataSize(DataSize size) {
        for (DataUnit unit : List.of(DataUnit.TERABYTES, DataUnit.GIGABYTES, DataUnit.MEGABYTES, DataUnit.KILOBYTES)) {
            long unitBytes = DataSize.of(1, unit).toBytes();
            if (size.toBytes() % unitBytes == 0) {
                return (size.toBytes() / unitBytes) + unit.name().substring(0, 1) + "B";
            }
        }
        return size.toBytes() + "B";
    }

    /** A type as the metadata names it: wrappers for primitives, generics spelled out. */
    private static String typeName(Type generic) {
        if (generic instanceof ParameterizedType parameterized) {
            return typeName(parameterized.getRawType()) + Arrays.stream(parameterized.getActualTypeArguments())
                    .map(RegionSettings::typeName)
                    .collect(Collectors.joining(",", "<", ">"));
        }
        Class<?> type = (Class<?>) generic;
        if (type == boolean.class) {
            return Boolean.class.getName();
        }
        if (type == int.class) {
            return Integer.class.getName();
        }
        if (type == long.class) {
            return Long.class.getName();
        }
        return type.getName();
    }

    private static String kebabCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
