package io.hostsync.benchmarks.report;

/** Whether a goal was met, taking the error bar into account. */
public enum Verdict {

    /** Met, and the whole error bar is on the right side of the goal. */
    MET("met"),
    /** Met by the value, but the error bar reaches past the goal. */
    MET_NARROWLY("met, within the error bar"),
    /** Missed by the value, but the error bar reaches back to the goal. */
    MISSED_NARROWLY("**missed**, within the error bar"),
    /** Missed, the whole error bar on the wrong side. */
    MISSED("**missed**"),
    /** No result in this run: the benchmark was left out or failed. */
    NOT_MEASURED("not measured");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    /** @return how the report writes it (markdown) */
    public String text() {
        return text;
    }

    /** @return whether the value meets the goal */
    public boolean met() {
        return this == MET || this == MET_NARROWLY;
    }

    /**
     * Judges an estimate against a threshold. Without an error bar, only the value counts.
     *
     * @param estimate the measured value and its error
     * @param threshold the goal
     * @param atMost {@code true} if the value must be at most the threshold, {@code false} if at least
     * @return the verdict
     */
    public static Verdict judge(Estimate estimate, double threshold, boolean atMost) {
        if (estimate == null || Double.isNaN(estimate.value())) {
            return NOT_MEASURED;
        }
        double value = estimate.value();
        double error = estimate.hasError() ? estimate.error() : 0;
        boolean met = atMost ? value <= threshold : value >= threshold;
        boolean barCrosses = atMost ? (met ? value + error > threshold : value - error <= threshold)
                : (met ? value - error < threshold : value + error >= threshold);
        if (met) {
            return barCrosses ? MET_NARROWLY : MET;
        }
        return barCrosses ? MISSED_NARROWLY : MISSED;
    }
}
