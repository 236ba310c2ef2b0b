package io.hostsync.autoconfigure.json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.state.Codec;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncJsonAutoConfiguration}.
 */
class HostsyncJsonAutoConfigurationTests {

    /** A value stored as JSON. */
    record Price(String item, long cents) {
    }

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncJsonAutoConfiguration.class));

    @Test
    void whenTheApplicationHasAJsonMapperThenSharedValuesAreWrittenWithIt() {
        JsonMapper indenting = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory)
                .withBean(JsonMapper.class, () -> indenting)
                .run((context) -> {
                    Codec<Price> codec = context.getBean(JsonCodecs.class).of(Price.class);
                    assertThat(new String(codec.encode(new Price("apple", 30)), StandardCharsets.UTF_8))
                            .as("written by the application's mapper, which indents").contains("\n");
                    SharedValue<Price> value = context.getBean(SharedState.class)
                            .value("price-" + UUID.randomUUID().toString().substring(0, 8), codec, 256);
                    value.set(new Price("pear", 45));
                    assertThat(value.get()).isEqualTo(new Price("pear", 45));
                });
    }

    @Test
    void whenTheApplicationHasNoJsonMapperThenThereAreNoJsonCodecs() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory)
                .run((context) -> assertThat(context).doesNotHaveBean(JsonCodecs.class));
    }

    @Test
    void whenJacksonIsAbsentThenTheRestStillWorks() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory)
                .withClassLoader(new FilteredClassLoader("tools.jackson"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(JsonCodecs.class)
                        .hasSingleBean(SharedState.class));
    }
}
