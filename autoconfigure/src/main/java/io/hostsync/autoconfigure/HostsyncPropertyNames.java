package io.hostsync.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hostsync.autoconfigure.InvalidPropertyNamesException.InvalidPropertyName;
import io.hostsync.autoconfigure.InvalidPropertyNamesException.Problem;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Binds {@link HostsyncProperties} for the parts of hostsync that need them before the
 * properties bean exists (the region bean definitions, the guard advisor), and refuses every
 * {@code hostsync.*} property that binding would ignore or misread, with an
 * {@link InvalidPropertyNamesException} naming each.
 *
 * <p>Spring Boot binds a map key up to the first dot: {@code hostsync.regions.orders.v2.size}
 * configures nothing (region {@code orders} has no setting {@code v2}) and the application runs
 * without the region; only {@code hostsync.regions.[orders.v2].size} (in YAML, the key
 * {@code "[orders.v2]":}) names region {@code orders.v2}. It also drops, outside brackets, the
 * characters a property name cannot hold, so that {@code hostsync.regions.../x.size} configures
 * region {@code x}. Neither is an error for Spring Boot; for hostsync both mean the application
 * would share other regions than those configured, so both fail startup, as does a misspelled
 * setting. Names under {@code hostsync} outside the groups of {@link HostsyncProperties} (and
 * not a near miss of one) are left alone: they are switches of the JVM, such as
 * {@code -Dhostsync.portable=true}, read by hostsync-core without Spring.
 */
public final class HostsyncPropertyNames {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(HostsyncProperties.PREFIX);

    private static final ConfigurationPropertyName REGIONS = PREFIX.append("regions");

    /** The element of a region setting in a name under {@code hostsync.regions}. */
    private static final int REGION_SETTING_ELEMENT = 3;

    /** The settings of a region, such as {@code max-locks}, read from {@link HostsyncProperties.Region}. */
    private static final List<String> REGION_SETTINGS = settings(HostsyncProperties.Region.class);

    /** The properties and groups right under {@code hostsync}, such as {@code regions} and {@code metrics}. */
    private static final List<String> GROUPS = settings(HostsyncProperties.class);

    /** Every property outside {@code hostsync.regions}, such as {@code hostsync.metrics.enabled}. */
    private static final List<String> PROPERTIES = properties(HostsyncProperties.class, HostsyncProperties.PREFIX);

    private HostsyncPropertyNames() {
    }

    /**
     * Binds {@code hostsync.*} after checking that every property under it is one that
     * {@link HostsyncProperties} binds, as written.
     *
     * @param environment the environment to bind from
     * @return the bound properties, with their defaults where nothing is set
     * @throws InvalidPropertyNamesException naming every property that would be ignored or misread
     */
    public static HostsyncProperties bind(Environment environment) {
        Set<InvalidPropertyName> invalid = new LinkedHashSet<>(droppingCharacters(environment));
        Set<ConfigurationPropertyName> reported = new LinkedHashSet<>();
        invalid.forEach((name) -> reported.add(ConfigurationPropertyName.adapt(name.name(), '.')));
        HostsyncProperties properties = null;
        try {
            properties = Binder.get(environment)
                    .bindOrCreate(PREFIX, Bindable.of(HostsyncProperties.class),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        } catch (BindException ex) {
            if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw ex;
            }
            for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                if (isMeantForHostsyncProperties(property.getName()) && !reported.contains(property.getName())) {
                    invalid.add(unbound(property));
                }
            }
        }
        if (!invalid.isEmpty()) {
            throw new InvalidPropertyNamesException(List.copyOf(invalid));
        }
        // Unbound names that are not hostsync's own (JVM switches) failed the strict binding: bind again leniently.
        return (properties != null) ? properties
                : Binder.get(environment).bindOrCreate(HostsyncProperties.PREFIX, HostsyncProperties.class);
    }

    /**
     * Whether a name is meant for {@link HostsyncProperties}: it is in one of their groups (such
     * as {@code hostsync.regions}), or in a group whose name is a near miss of one (such as
     * {@code hostsync.metric}). Other names under {@code hostsync} are not configuration
     * properties but switches of the JVM, such as core's {@code hostsync.portable}, or of tools,
     * and are left alone.
     */
    private static boolean isMeantForHostsyncProperties(ConfigurationPropertyName name) {
        if (name.getNumberOfElements() < 2) {
            return true;
        }
        String group = name.getElement(1, Form.DASHED);
        return GROUPS.contains(group) || closest(group, GROUPS) != null;
    }

    /**
     * The names under {@code hostsync} as written in the environment's property sources that
     * lose characters when Spring Boot reads them.
     */
    private static List<InvalidPropertyName> droppingCharacters(Environment environment) {
        List<InvalidPropertyName> invalid = new ArrayList<>();
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return invalid;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (PREFIX.isAncestorOf(ConfigurationPropertyName.adapt(name, '.')) && dropsCharacters(name)) {
                    invalid.add(new InvalidPropertyName(name, OriginLookup.getOrigin(source, name),
                            Problem.CHARACTERS_DROPPED, bracketedRegionName(name)));
                }
            }
        }
        return invalid;
    }

    /**
     * Whether Spring Boot drops characters of a name: an empty element (two dots in a row, or a
     * dot at either end) or, outside brackets, a character other than a letter, a digit, '-' or
     * '_'.
     */
    static boolean dropsCharacters(String name) {
        boolean emptyElement = true;
        for (int index = 0; index < name.length(); index++) {
            char character = name.charAt(index);
            if (character == '[') {
                int end = name.indexOf(']', index);
                if (end < 0) {
                    return true;
                }
                index = end;
                emptyElement = false;
            } else if (character == '.') {
                if (emptyElement) {
                    return true;
                }
                emptyElement = true;
            } else if ((character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                    || (character >= '0' && character <= '9') || character == '-' || character == '_') {
                emptyElement = false;
            } else {
                return true;
            }
        }
        return emptyElement;
    }

    /**
     * The name with its region name in brackets, such as {@code hostsync.regions.[../x].size}
     * for {@code hostsync.regions.../x.size}, or {@code null} if it does not end with a region
     * setting.
     */
    private static @Nullable String bracketedRegionName(String name) {
        String regions = HostsyncProperties.PREFIX + ".regions.";
        if (!name.regionMatches(true, 0, regions, 0, regions.length())) {
            return null;
        }
        String rest = name.substring(regions.length());
        for (int dot = rest.indexOf('.', 1); dot > 0; dot = rest.indexOf('.', dot + 1)) {
            String setting = rest.substring(dot + 1);
            int index = setting.indexOf('[');
            String settingName = (index >= 0) ? setting.substring(0, index) : setting;
            if (REGION_SETTINGS.contains(DataObjectPropertyName.toDashedForm(settingName))) {
                return ConfiguredRegion.propertyName(rest.substring(0, dot), setting);
            }
        }
        return null;
    }

    /**
     * Explains a property that binding left unbound: a region name with a dot if a region
     * setting follows the dot, else a setting that does not exist, with the closest one.
     */
    private static InvalidPropertyName unbound(ConfigurationProperty property) {
        ConfigurationPropertyName name = property.getName();
        String written = name.toString();
        if (REGIONS.isAncestorOf(name) && name.getNumberOfElements() > REGION_SETTING_ELEMENT) {
            for (int element = REGION_SETTING_ELEMENT + 1; element < name.getNumberOfElements(); element++) {
                if (REGION_SETTINGS.contains(name.getElement(element, Form.DASHED))) {
                    List<String> regionName = new ArrayList<>();
                    for (int part = REGION_SETTING_ELEMENT - 1; part < element; part++) {
                        regionName.add(name.getElement(part, Form.ORIGINAL));
                    }
                    String replacement = ConfiguredRegion.propertyName(String.join(".", regionName),
                            render(name, element));
                    return new InvalidPropertyName(written, property.getOrigin(), Problem.REGION_NAME_WITH_DOT,
                            replacement);
                }
            }
            String closest = closest(name.getElement(REGION_SETTING_ELEMENT, Form.DASHED), REGION_SETTINGS);
            String replacement = (closest != null) ? ConfiguredRegion.propertyName(
                    name.getElement(REGION_SETTING_ELEMENT - 1, Form.ORIGINAL), closest) : null;
            return new InvalidPropertyName(written, property.getOrigin(), Problem.UNKNOWN_REGION_SETTING, replacement);
        }
        return new InvalidPropertyName(written, property.getOrigin(), Problem.UNKNOWN_PROPERTY,
                closest(written, PROPERTIES));
    }

    /** The elements of a name from one on, as written, numeric indexes in brackets. */
    private static String render(ConfigurationPropertyName name, int from) {
        StringBuilder text = new StringBuilder();
        for (int element = from; element < name.getNumberOfElements(); element++) {
            String value = name.getElement(element, Form.ORIGINAL);
            if (name.isNumericIndex(element)) {
                text.append('[').append(value).append(']');
            } else {
                text.append((element > from) ? "." : "").append(value);
            }
        }
        return text.toString();
    }

    /** The candidate nearest to a misspelled name, if it is near enough to be what was meant. */
    private static @Nullable String closest(String misspelled, List<String> candidates) {
        return candidates.stream()
                .filter((candidate) -> distance(misspelled, candidate) <= Math.max(2, candidate.length() / 4))
                .min(Comparator.comparingInt((String candidate) -> distance(misspelled, candidate)))
                .orElse(null);
    }

    /** The Levenshtein distance: how many characters to insert, delete or replace. */
    private static int distance(String from, String to) {
        int[] previous = new int[to.length() + 1];
        int[] current = new int[to.length() + 1];
        for (int j = 0; j <= to.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= from.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= to.length(); j++) {
                int replace = previous[j - 1] + ((from.charAt(i - 1) == to.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[to.length()];
    }

    /** The settings of a properties class: its bean properties in kebab case. */
    private static List<String> settings(Class<?> type) {
        List<String> settings = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() != null && descriptor.getReadMethod().getDeclaringClass() == type) {
                settings.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
            }
        }
        return List.copyOf(settings);
    }

    /** The full names of the properties of a class and of its nested groups, but not of maps. */
    private static List<String> properties(Class<?> type, String prefix) {
        List<String> names = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || descriptor.getReadMethod().getDeclaringClass() != type
                    || Map.class.isAssignableFrom(descriptor.getPropertyType())) {
                continue;
            }
            String name = prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName());
            if (descriptor.getPropertyType().getDeclaringClass() == HostsyncProperties.class) {
                names.addAll(properties(descriptor.getPropertyType(), name));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
