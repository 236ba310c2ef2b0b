package io.hostsync.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fails the startup of an application on Spring Boot older than 4.0, which would otherwise run
 * with the hostsync starter half working: its auto-configurations load, but those of the meters
 * and the health contributor are written against Spring Boot 4's modules and silently back off,
 * and {@code JsonCodecs} needs Jackson 3.
 *
 * <p>An {@link ApplicationContextInitializer} registered in {@code META-INF/spring.factories},
 * because Spring Boot 3 loads those exactly as Spring Boot 4 does, and it runs before any bean
 * is made. A failure rather than a warning: nothing of the starter is built or tested on Spring
 * Boot 3, and an application that relies on a lock it shares with other processes should not run
 * on a configuration that no one has verified. hostsync-core, without the starter, needs no
 * Spring at all.
 */
final class SpringBootVersionCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The oldest Spring Boot major version the starter supports. */
    static final int OLDEST_SUPPORTED_MAJOR_VERSION = 4;

    @Override
    public void initialize(ConfigurableApplicationContext applicationContext) {
        check(SpringBootVersion.getVersion());
    }

    /**
     * Refuses a Spring Boot version older than 4.0. A version that cannot be read (a repackaged
     * Spring Boot) is let through: the starter cannot tell, and Spring Boot 4 reports its version.
     *
     * @param version the Spring Boot version, such as "4.1.2", or {@code null}
     * @throws UnsupportedSpringBootVersionException if it is older than 4.0
     */
    static void check(@Nullable String version) {
        if (version == null) {
            return;
        }
        Integer major = majorVersion(version);
        if (major != null && major < OLDEST_SUPPORTED_MAJOR_VERSION) {
            throw new UnsupportedSpringBootVersionException(version);
        }
    }

    private static @Nullable Integer majorVersion(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return (end > 0) ? Integer.valueOf(version.substring(0, end)) : null;
    }
}
