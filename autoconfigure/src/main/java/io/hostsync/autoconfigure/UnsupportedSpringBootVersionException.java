package io.hostsync.autoconfigure;

/**
 * The application runs on a Spring Boot version that the hostsync starter does not support:
 * older than 4.0. Thrown when the application context is prepared, before any bean is made.
 */
public class UnsupportedSpringBootVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String version;

    /**
     * Creates the exception.
     *
     * @param version the Spring Boot version the application runs on, such as "3.5.7"
     */
    public UnsupportedSpringBootVersionException(String version) {
        super("hostsync-spring-boot-starter needs Spring Boot 4.0 or newer, but this application runs on Spring Boot "
                + version + ": its hostsync meters and health contributor would be missing without a word, and"
                + " JsonCodecs needs Jackson 3. Upgrade the application to Spring Boot 4.0 or newer, or replace the"
                + " starter with hostsync-core and open regions in code (SharedRegion.open).");
        this.version = version;
    }

    /**
     * Returns the Spring Boot version the application runs on.
     *
     * @return the version, such as "3.5.7"
     */
    public String getVersion() {
        return this.version;
    }
}
