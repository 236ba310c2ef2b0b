package io.hostsync.autoconfigure.docs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.docs.app.GettingStartedApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The YAML shown in the docs is real configuration: each file under this package's resources,
 * copied into the docs between tags, binds to {@link HostsyncProperties} with no unknown key and
 * opens its regions (in a directory of the test's own); the getting-started application answers
 * its actuator endpoints over real HTTP.
 */
class ConfigurationExamplesTests {

    private static final String RESOURCES = "io/hostsync/autoconfigure/docs/";

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class));

    @Test
    void aKeyThatIsNotAPropertyIsCaughtByTheStrictBinding() {
        PropertySource<?> typo = new MapPropertySource("typo", Map.of("hostsync.regions.orders.sise", "4MB"));
        assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindStrictly(typo));
    }

    @Test
    void theReadmeConfigurationOpensRegionOrdersWithItsLocksSharedWithTheGroup() {
        PropertySource<?> yaml = yaml("readme.yml");
        HostsyncProperties properties = bindStrictly(yaml);
        assertThat(properties.getRegions()).containsOnlyKeys("orders");
        assertThat(properties.getRegions().get("orders").getSize()).isEqualTo(DataSize.ofMegabytes(4));
        assertThat(properties.getHealth().getMaxHold()).isEqualTo(Duration.ofSeconds(30));
        withYaml(yaml).run((context) -> {
            SharedRegion orders = context.getBean(SharedRegion.class);
            assertThat(orders.name()).isEqualTo("orders");
            assertThat(orders.size()).isEqualTo(DataSize.ofMegabytes(4).toBytes());
            assertThat(orders.lockNames()).containsExactly("default", "prices", "nightly-report");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(orders.file())))
                    .isEqualTo("rw-rw----");
        });
    }

    @Test
    void severalRegionsOpenWithTheMarkedOneAsTheDefault() {
        PropertySource<?> yaml = yaml("regions.yml");
        assertThat(bindStrictly(yaml).getRegions()).containsOnlyKeys("orders", "reports", "reports.v2");
        withYaml(yaml).run((context) -> {
            assertThat(context).getBeans(SharedRegion.class)
                    .containsOnlyKeys("hostsyncRegion-orders", "hostsyncRegion-reports", "hostsyncRegion-reports.v2");
            assertThat(context.getBean(SharedRegion.class).name()).isEqualTo("orders");
        });
    }

    @Test
    void aPersistentRegionOpensInItsOwnDirectory() throws IOException {
        PropertySource<?> yaml = yaml("persistent.yml");
        assertThat(bindStrictly(yaml).getRegions().get("orders").getDirectory())
                .isEqualTo(Path.of("/var/lib/myapp/regions"));
        Path disk = Files.createDirectory(this.directory.resolve("regions"));
        withYaml(yaml).withPropertyValues("hostsync.regions.orders.directory=" + disk)
                .run((context) -> assertThat(context.getBean(SharedRegion.class).file())
                        .isEqualTo(disk.resolve("hostsync-orders")));
    }

    @Test
    void theLockRegistryPropertyBinds() {
        assertThat(bindStrictly(yaml("lock-registry.yml")).getAnnotations().getLockRegistry())
                .isEqualTo("redisLockRegistry");
    }

    @Test
    void theGettingStartedApplicationAnswersItsActuatorEndpointsOverHttp() throws Exception {
        PropertySource<?> yaml = yaml("getting-started.yml");
        bindStrictly(yaml);
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(GettingStartedApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.config.location=classpath:/" + RESOURCES + "getting-started.yml", "server.port=0",
                        "spring.main.banner-mode=off",
                        "hostsync.directory=" + this.directory)
                .run()) {
            String base = "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            DocumentContext health = JsonPath.parse(get(client, base + "/actuator/health"));
            assertThat(health.read("$.components.hostsync.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.hostsync.details.regions.orders.participants", Integer.class))
                    .isOne();

            DocumentContext hostsync = JsonPath.parse(get(client, base + "/actuator/hostsync"));
            assertThat(hostsync.read("$.regions.orders.size", Long.class)).isEqualTo(DataSize.ofMegabytes(4).toBytes());
            Map<String, Object> locks = hostsync.read("$.regions.orders.locks");
            assertThat(locks).containsOnlyKeys("default", "prices", "nightly-report");

            assertThat(get(client, base + "/actuator/prometheus"))
                    .contains("hostsync_lock_acquire_seconds_count{lock=\"prices\",region=\"orders\",scope=\"host\"}");
        }
    }

    private ApplicationContextRunner withYaml(PropertySource<?> yaml) {
        return this.contextRunner
                .withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(yaml))
                .withPropertyValues("hostsync.directory=" + this.directory);
    }

    /** Binds {@code hostsync.*} as Spring Boot would, but fails on any key that is not a property. */
    private static HostsyncProperties bindStrictly(PropertySource<?> source) {
        return new Binder(ConfigurationPropertySources.from(source))
                .bind(HostsyncProperties.PREFIX, Bindable.of(HostsyncProperties.class),
                        new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();
    }

    private static PropertySource<?> yaml(String name) {
        try {
            List<PropertySource<?>> documents = new YamlPropertySourceLoader().load(name,
                    new ClassPathResource(RESOURCES + name));
            assertThat(documents).as(name).hasSize(1);
            return documents.get(0);
        } catch (IOException ex) {
            throw new IllegalStateException("Cannot read " + name, ex);
        }
    }

    private static String get(HttpClient client, String uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri).isEqualTo(200);
        return response.body();
    }
}
