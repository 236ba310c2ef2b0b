package io.hostsync.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard and the Prometheus scrape configuration of {@code docs/dashboards}
 * against a real Prometheus (Debian's {@code prometheus}) scraping the running sample: the
 * configuration is the documented one with the targets and interval of the test, and every
 * query of the dashboard must return data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTests {

    private static final Path DASHBOARDS = Path.of(System.getProperty("basedir", "."), "..", "docs", "dashboards")
            .normalize();

    private static final String PROMTOOL = "/usr/bin/promtool";

    private static final String INSTALL = "apt-get install -y prometheus";

    /** Grafana's $__rate_interval with a 1 s scrape interval is 4 s; a little more keeps several samples in range. */
    private static final String RATE_INTERVAL = "10s";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    private final JsonNode dashboard = JsonMapper.builder().build()
            .readTree(DASHBOARDS.resolve("hostsync-grafana.json").toFile());

    private Path directory;

    private ConfigurableApplicationContext sample;

    private ScheduledExecutorService quotes;

    private PrometheusServer prometheus;

    @BeforeAll
    void startTheSampleWithActivityAndPrometheusScrapingIt() throws IOException {
        InstalledTools.require(INSTALL, PrometheusServer.BINARY, PROMTOOL);
        this.directory = Files.createTempDirectory("hostsync-prometheus");
        // Refreshes every 300 ms: the refresh and prices locks are taken all the time, as quotes take the read lock.
        this.sample = SampleInstances.startHere(this.directory, "quotes.refresh.interval=300ms",
                "quotes.refresh.fetch-time=0");
        int port = SampleInstances.port(this.sample);
        this.quotes = Executors.newSingleThreadScheduledExecutor();
        this.quotes.scheduleWithFixedDelay(() -> Http.get(port, "/quotes/ACME"), 0, 50, TimeUnit.MILLISECONDS);
        this.prometheus = PrometheusServer.start(scrapeConfiguration(List.of("127.0.0.1:" + port)), this.directory);
    }

    @AfterAll
    void stopEverything() throws InterruptedException, IOException {
        if (this.prometheus != null) {
            this.prometheus.close();
        }
        if (this.quotes != null) {
            this.quotes.shutdownNow();
            this.quotes.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (this.sample != null) {
            this.sample.close();
        }
        if (this.directory != null) {
            FileSystemUtils.deleteRecursively(this.directory);
        }
    }

    @Test
    void theDocumentedScrapeConfigurationIsValid() throws Exception {
        Process check = new ProcessBuilder(PROMTOOL, "check", "config", DASHBOARDS.resolve("prometheus.yml").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
    }

    @Test
    void everyQueryOfTheDashboardReturnsData() {
        Map<String, String> queries = panelQueries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, List<Object>> withoutData = new LinkedHashMap<>();
            queries.forEach((panel, query) -> {
                List<Object> result = this.prometheus.query(query);
                if (result.stream().noneMatch(DashboardTests::hasFiniteValue)) {
                    withoutData.put(panel + ": " + query, result);
                }
            });
            assertThat(withoutData).as("queries without a finite value").isEmpty();
        });
    }

    @Test
    void everyVariableOfTheDashboardFindsValues() {
        List<JsonNode> variables = new ArrayList<>();
        this.dashboard.get("templating").get("list").forEach(variables::add);
        assertThat(variables).extracting((variable) -> variable.get("name").asString())
                .containsExactly("datasource", "region", "lock");

        for (JsonNode variable : variables) {
            if (variable.get("type").asString().equals("query")) {
                Matcher labelValues = LABEL_VALUES.matcher(variable.get("definition").asString());
                assertThat(labelValues.matches()).as(variable.get("definition").asString()).isTrue();
                String selector = substitute(labelValues.group(1));
                String label = labelValues.group(2);
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(this.prometheus.series(selector))
                        .as("values of %s", variable.get("name").asString())
                        .extracting((labels) -> labels.get(label))
                        .contains(variable.get("name").asString().equals("region") ? "sample" : "prices"));
            }
        }
    }

    @Test
    void everyPanelQueriesTheDashboardsDataSource() {
        forEachPanel((panel) -> {
            if (panel.has("targets")) {
                assertThat(panel.get("datasource").get("uid").asString()).as(panel.get("title").asString())
                        .isEqualTo("${datasource}");
                panel.get("targets").forEach((target) -> assertThat(target.get("datasource").get("uid").asString())
                        .isEqualTo("${datasource}"));
            }
        });
    }

    /** The documented configuration, scraping the test's targets every second. */
    @SuppressWarnings("unchecked")
    private static String scrapeConfiguration(List<String> targets) throws IOException {
        Yaml yaml = new Yaml();
        Map<String, Object> configuration = yaml.load(Files.readString(DASHBOARDS.resolve("prometheus.yml")));
        List<Map<String, Object>> scrapes = (List<Map<String, Object>>) configuration.get("scrape_configs");
        assertThat(scrapes).as("scrape_configs of docs/dashboards/prometheus.yml").hasSize(1);
        Map<String, Object> scrape = scrapes.get(0);
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<Map<String, Object>> staticConfigs = (List<Map<String, Object>>) scrape.get("static_configs");
        assertThat(staticConfigs).hasSize(1);
        staticConfigs.get(0).put("targets", targets);
        Map<String, Object> global = (Map<String, Object>) configuration.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        return yaml.dump(configuration);
    }

    /** Every query of every panel, by panel title and reference, with the dashboard's variables filled in. */
    private Map<String, String> panelQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        forEachPanel((panel) -> {
            if (panel.has("targets")) {
                panel.get("targets").forEach((target) -> queries.put(
                        panel.get("title").asString() + " " + target.get("refId").asString(),
                        substitute(target.get("expr").asString())));
            }
        });
        return queries;
    }

    /** Grafana's substitutions: every region and lock ("All"), and a rate interval for a 1 s scrape. */
    private static String substitute(String query) {
        Matcher variables = VARIABLE.matcher(query);
        StringBuilder substituted = new StringBuilder();
        while (variables.find()) {
            String name = variables.group(1);
            String value = switch (name) {
                case "__rate_interval" -> RATE_INTERVAL;
                case "region", "lock" -> ".*";
                default -> throw new AssertionError("Unknown variable $" + name + " in " + query);
            };
            variables.appendReplacement(substituted, Matcher.quoteReplacement(value));
        }
        variables.appendTail(substituted);
        return substituted.toString();
    }

    private void forEachPanel(java.util.function.Consumer<JsonNode> action) {
        for (JsonNode panel : this.dashboard.get("panels")) {
            action.accept(panel);
            if (panel.has("panels")) {
                panel.get("panels").forEach(action);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean hasFiniteValue(Object series) {
        List<Object> value = (List<Object>) ((Map<String, Object>) series).get("value");
        String number = String.valueOf(value.get(1));
        return !number.equals("NaN") && !number.endsWith("Inf");
    }
}
