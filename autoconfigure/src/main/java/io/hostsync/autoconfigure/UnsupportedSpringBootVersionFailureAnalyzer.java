package io.hostsync.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup refused by {@link SpringBootVersionCheck}, so that an application on Spring
 * Boot 3 prints what to do rather than a stack trace. Loaded by Spring Boot 3 as well.
 */
final class UnsupportedSpringBootVersionFailureAnalyzer
        extends
            AbstractFailureAnalyzer<UnsupportedSpringBootVersionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootVersionException cause) {
        return new FailureAnalysis(cause.getMessage(), "Upgrade the application to Spring Boot 4.0 or newer (the"
                + " README lists the versions hostsync is built and tested with), or replace"
                + " hostsync-spring-boot-starter with hostsync-core.", cause);
    }
}
