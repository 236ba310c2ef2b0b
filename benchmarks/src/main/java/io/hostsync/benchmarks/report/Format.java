package io.hostsync.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How the report writes numbers: three significant digits, times in the unit that suits them
 * (ns, µs, ms, s), throughputs in operations per second (k, M). JMH's units are converted
 * first to a base unit: nanoseconds for times, operations per second for throughputs.
 */
final class Format {

    private Format() {
    }

    /** @return whether JMH's unit is a throughput ({@code ops/us}) rather than a time ({@code ns/op}) */
    static boolean isThroughput(String jmhUnit) {
        return jmhUnit.startsWith("ops/");
    }

    /**
     * @param jmhUnit {@code ns/op}, {@code us/op}, {@code ms/op}, {@code s/op}, or {@code ops/ns} ... {@code ops/s}
     * @return the factor that converts a score in that unit to nanoseconds (times) or operations
     *     per second (throughputs)
     */
    static double toBase(String jmhUnit) {
        String time = isThroughput(jmhUnit) ? jmhUnit.substring("ops/".length())
                : jmhUnit.substring(0, jmhUnit.indexOf('/'));
        double nanos = switch (time) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> throw new IllegalArgumentException("Unknown JMH unit " + jmhUnit);
        };
        return isThroughput(jmhUnit) ? 1e9 / nanos : nanos;
    }

    /** @return a score in base units: nanoseconds, or operations per second */
    static Estimate toBase(Estimate estimate, String jmhUnit) {
        double factor = toBase(jmhUnit);
        return new Estimate(estimate.value() * factor, estimate.error() * factor);
    }

    /** @return {@code 13.9 ns}, {@code 612 µs}, {@code 3.18 M ops/s}: a value in base units */
    static String quantity(double base, boolean throughput) {
        Scale scale = scale(base, throughput);
        return significant(base / scale.factor) + " " + scale.unit;
    }

    /** @return {@code 13.9 ± 0.28 ns}: a measurement in base units */
    static String measurement(Estimate base, boolean throughput) {
        Scale scale = scale(base.value(), throughput);
        String value = significant(base.value() / scale.factor);
        if (!base.hasError()) {
            return value + " " + scale.unit;
        }
        return value + " ± " + significant(base.error() / scale.factor, 2) + " " + scale.unit;
    }

    /**
     * @return {@code 1.23 ± 0.06×}; below 0.01, the inverse and a relative error:
     *     {@code 1/24,000× ± 12 %}
     */
    static String ratio(Estimate ratio) {
        if (ratio.value() > 0 && ratio.value() < 0.01) {
            String inverse = "1/" + significant(1 / ratio.value()) + "×";
            return ratio.hasError() ? inverse + " ± " + significant(100 * ratio.error() / ratio.value(), 2) + " %"
                    : inverse;
        }
        if (!ratio.hasError()) {
            return significant(ratio.value()) + "×";
        }
        return significant(ratio.value()) + " ± " + significant(ratio.error(), 2) + "×";
    }

    /** @return {@code +52.8 ± 4.9 ns}: a difference of times in nanoseconds */
    static String difference(Estimate nanos) {
        String sign = nanos.value() >= 0 ? "+" : "−";
        Estimate magnitude = new Estimate(Math.abs(nanos.value()), nanos.error());
        return sign + measurement(magnitude, false);
    }

    /** @return three significant digits, thousands grouped: {@code 0.491}, {@code 13.9}, {@code 24,000} */
    static String significant(double value) {
        return significant(value, 3);
    }

    static String significant(double value, int digits) {
        if (Double.isNaN(value)) {
            return "?";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "−∞";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits));
        if (Math.abs(rounded.doubleValue()) >= 1000) {
            return String.format(Locale.ROOT, "%,d", rounded.longValue());
        }
        // Keep trailing zeros: 12 is written 12.0 with three digits.
        int exponent = (int) Math.floor(Math.log10(Math.abs(rounded.doubleValue())));
        return rounded.setScale(Math.max(0, digits - 1 - exponent), java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** @return the axis label for a tick, in base units: {@code 10 ns}, {@code 2.5 µs} */
    static String tick(double base, boolean throughput) {
        Scale scale = scale(base, throughput);
        return compact(base / scale.factor) + " " + scale.unit;
    }

    /** @return a tick value without trailing zeros: {@code 0.01}, {@code 2.5}, {@code 1,000} */
    static String compact(double value) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,d", rounded.longValue());
        }
        return rounded.toPlainString();
    }

    private record Scale(double factor, String unit) {
    }

    private static Scale scale(double base, boolean throughput) {
        double magnitude = Math.abs(base);
        if (throughput) {
            if (magnitude >= 1e9) {
                return new Scale(1e9, "G ops/s");
            }
            if (magnitude >= 1e6) {
                return new Scale(1e6, "M ops/s");
            }
            return magnitude >= 1e3 ? new Scale(1e3, "k ops/s") : new Scale(1, "ops/s");
        }
        if (magnitude >= 1e9) {
            return new Scale(1e9, "s");
        }
        if (magnitude >= 1e6) {
            return new Scale(1e6, "ms");
        }
        return magnitude >= 1e3 ? new Scale(1e3, "µs") : new Scale(1, "ns");
    }
}
