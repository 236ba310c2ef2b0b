package io.hostsync.autoconfigure.json;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Offers {@link JsonCodecs} over the application's {@link JsonMapper} when Jackson 3 is present
 * and the application has a mapper (Spring Boot's Jackson auto-configuration makes one).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
public final class HostsyncJsonAutoConfiguration {

    @Bean
    @ConditionalOnBean(JsonMapper.class)
    @ConditionalOnMissingBean
    JsonCodecs hostsyncJsonCodecs(JsonMapper mapper) {
        return new JsonCodecs(mapper);
    }
}
