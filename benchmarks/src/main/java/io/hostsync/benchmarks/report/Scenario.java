package io.hostsync.benchmarks.report;

import java.util.List;

/**
 * One table of the report: the results of some methods of one benchmark class, each compared
 * with the baseline method's result for the same group (same {@link #groupBy} parameters).
 *
 * @param id short name, used in chart file names
 * @param title the table's heading
 * @param description one or two sentences: what is measured
 * @param benchmarkClass the JMH class, {@code UncontendedBenchmark}
 * @param baselineMethod the method every other row is compared with
 * @param rows the methods shown, in order, the baseline among them
 * @param groupBy parameters that split the results into groups, each with its own baseline
 *     result ({@code participants}, {@code placement}); other parameters ({@code backend}) tell
 *     rows apart within a group
 * @param showDifference whether to show the difference to the baseline as well as the ratio
 *     (where the goal is on the difference, or the baseline is mostly harness)
 * @param showPercentiles whether to show the median and the 99th percentile (sample mode)
 */
public record Scenario(String id, String title, String description, String benchmarkClass, String baselineMethod,
        List<Row> rows, List<String> groupBy, boolean showDifference, boolean showPercentiles) {

    /**
     * A method shown in the table.
     *
     * @param method the benchmark method
     * @param label what the row is called; {@code {backend}} is replaced by that parameter's value
     */
    public record Row(String method, String label) {
    }

    /** @return the short name of a method of this scenario's class */
    String shortName(String method) {
        return benchmarkClass + "." + method;
    }
}
