package io.hostsync.benchmarks.report;

/**
 * A value with its error bar: the half-width of a confidence interval, NaN when there is none
 * (a single measured iteration, say).
 *
 * @param value the value
 * @param error the half-width, or NaN
 */
public record Estimate(double value, double error) {

    /**
     * The ratio of two independent estimates, its relative error the two relative errors
     * combined in quadrature (first-order propagation).
     *
     * @param numerator the measured
     * @param denominator the baseline
     * @return {@code numerator / denominator}
     */
    public static Estimate ratio(Estimate numerator, Estimate denominator) {
        double ratio = numerator.value / denominator.value;
        double relative = Math.hypot(numerator.error / numerator.value, denominator.error / denominator.value);
        return new Estimate(ratio, Math.abs(ratio) * relative);
    }

    /**
     * The difference of two independent estimates, the errors combined in quadrature.
     *
     * @return {@code minuend - subtrahend}
     */
    public static Estimate difference(Estimate minuend, Estimate subtrahend) {
        return new Estimate(minuend.value - subtrahend.value, Math.hypot(minuend.error, subtrahend.error));
    }

    /** @return {@code 1 / this}, with the same relative error */
    public Estimate inverse() {
        return new Estimate(1 / value, Math.abs(error / value / value));
    }

    /** @return this divided by a constant */
    public Estimate dividedBy(double divisor) {
        return new Estimate(value / divisor, error / Math.abs(divisor));
    }

    /** @return whether there is an error bar */
    public boolean hasError() {
        return !Double.isNaN(error);
    }
}
