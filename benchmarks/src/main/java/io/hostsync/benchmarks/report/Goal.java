package io.hostsync.benchmarks.report;

import java.util.Map;

/**
 * A performance goal, judged on one result of the run, usually against a baseline result of the
 * same run.
 *
 * @param number how the report numbers it, {@code 4 (pinned)}
 * @param text what the goal says
 * @param label a short form for the chart, {@code read pair vs RRWL ≤ 1.5×}
 * @param measured the measured result: short method name
 * @param measuredParams and parameters
 * @param baseline the baseline result's short method name, {@code null} for an absolute goal
 * @param baselineParams and parameters
 * @param kind how the two are compared
 * @param threshold the limit
 */
public record Goal(String number, String text, String label, String measured, Map<String, String> measuredParams,
        String baseline,
        Map<String, String> baselineParams, Kind kind, double threshold) {

    /** How a goal compares the measured result with its threshold. */
    public enum Kind {
        /** measured / baseline at most the threshold (times: lower is better). */
        RATIO_AT_MOST(true),
        /** measured / baseline at least the threshold (throughputs: higher is better). */
        RATIO_AT_LEAST(false),
        /** baseline / measured at least the threshold: "N times faster than". */
        SPEEDUP_AT_LEAST(false),
        /** measured (in nanoseconds) at most the threshold. */
        NANOS_AT_MOST(true),
        /** measured - baseline (in nanoseconds) at most the threshold. */
        ADDED_NANOS_AT_MOST(true);

        private final boolean atMost;

        Kind(boolean atMost) {
            this.atMost = atMost;
        }

        /** @return whether the compared value must be at most the threshold (else at least) */
        public boolean atMost() {
            return atMost;
        }
    }
}
