package io.hostsync.benchmarks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The results of one JMH run, read from the JSON file JMH writes with {@code -rf json}. */
public final class JmhResults {

    private final List<BenchmarkResult> results;

    /**
     * @param results the results, in any order
     */
    public JmhResults(List<BenchmarkResult> results) {
        this.results = List.copyOf(results);
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file
     * @return its results
     * @throws IllegalArgumentException if the file is missing or is not JMH's JSON
     */
    public static JmhResults read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No JMH results at " + file.toAbsolutePath()
                    + ": run the suite first (scripts/bench.sh smoke or full), or name an existing results file");
        }
        JsonNode root;
        try {
            root = JsonMapper.shared().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "Could not read " + file + " as JMH's JSON results: " + e.getOriginalMessage(), e);
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(
                    file + " is not JMH's JSON results (expected an array of benchmark results)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            results.add(parse(node));
        }
        return new JmhResults(results);
    }

    private static BenchmarkResult parse(JsonNode node) {
        Map<String, String> params = new LinkedHashMap<>();
        node.path("params").forEachEntry((name, value) -> params.put(name, value.asString()));
        JsonNode primary = node.path("primaryMetric");
        Map<String, Double> percentiles = new LinkedHashMap<>();
        primary.path("scorePercentiles").forEachEntry((key, value) -> percentiles.put(normalise(key), number(value)));
        return new BenchmarkResult(node.path("benchmark").asString(), node.path("mode").asString(),
                node.path("threads").asInt(1),
                node.path("forks").asInt(1), params, number(primary.path("score")), number(primary.path("scoreError")),
                primary.path("scoreUnit").asString(), percentiles, node.path("jdkVersion").asString(""),
                (node.path("vmName").asString("") + " " + node.path("vmVersion").asString("")).strip());
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isString()) {
            return Double.parseDouble(node.stringValue());
        }
        return Double.NaN;
    }

    private static String normalise(String percentileKey) {
        return Double.toString(Double.parseDouble(percentileKey));
    }

    /** @return every result */
    public List<BenchmarkResult> all() {
        return results;
    }

    /**
     * Finds the result of a method with the given parameters (others may have any value).
     *
     * @param shortName {@code UncontendedBenchmark.hostsyncRead}
     * @param params parameters the result must have
     * @return the first such result
     */
    public Optional<BenchmarkResult> find(String shortName, Map<String, String> params) {
        return results.stream().filter(result -> result.shortName().equals(shortName))
                .filter(result -> params.entrySet().stream()
                        .allMatch(p -> p.getValue().equals(result.params().get(p.getKey()))))
                .findFirst();
    }

    /**
     * Every result of one method, in the order JMH ran them.
     *
     * @param shortName {@code MixedBenchmark.hostsync}
     * @return its results
     */
    public List<BenchmarkResult> of(String shortName) {
        return results.stream().filter(result -> result.shortName().equals(shortName)).toList();
    }
}
