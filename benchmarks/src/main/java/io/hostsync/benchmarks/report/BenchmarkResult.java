package io.hostsync.benchmarks.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result: a benchmark method with one combination of parameters.
 *
 * @param benchmark the fully qualified method, {@code io.hostsync.benchmarks.UncontendedBenchmark.hostsyncRead}
 * @param mode JMH's mode: {@code avgt}, {@code thrpt}, {@code sample}, ...
 * @param threads JMH threads
 * @param forks forks
 * @param params the parameters, sorted by name
 * @param score the primary score
 * @param error JMH's 99.9% confidence half-width, NaN when JMH could not compute one
 * @param unit the score's unit, {@code ns/op}, {@code us/op}, {@code ops/us}, ...
 * @param percentiles for sample mode, the percentiles by JMH's key ({@code "50.0"}); empty otherwise
 * @param jdkVersion the forks' JDK version
 * @param vm the forks' VM name and version
 */
public record BenchmarkResult(String benchmark, String mode, int threads, int forks, Map<String, String> params,
        double score, double error, String unit, Map<String, Double> percentiles, String jdkVersion, String vm) {

    /** Copies the maps; the parameters sorted by name. */
    public BenchmarkResult {
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        percentiles = Map.copyOf(percentiles);
    }

    /** @return {@code UncontendedBenchmark.hostsyncRead}: the simple class name and the method */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /**
     * @param percent the percentile, 50 for the median
     * @return the percentile, NaN if JMH did not report it
     */
    public double percentile(double percent) {
        Double value = percentiles.get(Double.toString(percent));
        return value == null ? Double.NaN : value;
    }

    /** @return the score and its error */
    public Estimate estimate() {
        return new Estimate(score, error);
    }

    /** @return whether a higher score is better (throughput) rather than lower (time per operation) */
    public boolean higherIsBetter() {
        return unit.startsWith("ops/");
    }
}
