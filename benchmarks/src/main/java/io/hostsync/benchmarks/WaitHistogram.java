package io.hostsync.benchmarks;

/**
 * Wait times in microseconds, counted in log-linear buckets (16 per power of two: within 1/16 of
 * the value, exact below 32 µs) so that the processes of a host can send theirs as one line and
 * {@link CohortLockBenchmark} can merge them into the host's distribution. The maximum is kept
 * exactly.
 */
final class WaitHistogram {

    private static final int SUB_BITS = 4;

    private static final int SUB_BUCKETS = 1 << SUB_BITS;

    private final long[] counts = new long[(64 - SUB_BITS + 1) * SUB_BUCKETS];

    private long total;

    private long max;

    /** @param micros one wait, in microseconds */
    void record(long micros) {
        long value = Math.max(0, micros);
        this.counts[index(value)]++;
        this.total++;
        this.max = Math.max(this.max, value);
    }

    /** @param other counts to add to these */
    void add(WaitHistogram other) {
        for (int i = 0; i < this.counts.length; i++) {
            this.counts[i] += other.counts[i];
        }
        this.total += other.total;
        this.max = Math.max(this.max, other.max);
    }

    long count() {
        return this.total;
    }

    long max() {
        return this.max;
    }

    /**
     * @param fraction 0.5 for the median, 0.99...
     * @return the lowest value of the bucket holding that fraction of the waits, in microseconds
     */
    long percentile(double fraction) {
        if (this.total == 0) {
            return 0;
        }
        long rank = Math.min(this.total - 1, (long) (this.total * fraction));
        long seen = 0;
        for (int i = 0; i < this.counts.length; i++) {
            seen += this.counts[i];
            if (seen > rank) {
                return Math.min(lowest(i), this.max);
            }
        }
        return this.max;
    }

    /** @return {@code max:index=count,index=count...} for the non-empty buckets */
    String encode() {
        StringBuilder out = new StringBuilder().append(this.max).append(':');
        String separator = "";
        for (int i = 0; i < this.counts.length; i++) {
            if (this.counts[i] != 0) {
                out.append(separator).append(i).append('=').append(this.counts[i]);
                separator = ",";
            }
        }
        return out.toString();
    }

    /**
     * @param encoded what {@link #encode()} returned
     * @return the histogram
     */
    static WaitHistogram decode(String encoded) {
        WaitHistogram histogram = new WaitHistogram();
        int colon = encoded.indexOf(':');
        histogram.max = Long.parseLong(encoded.substring(0, colon));
        String buckets = encoded.substring(colon + 1);
        if (!buckets.isEmpty()) {
            for (String bucket : buckets.split(",")) {
                int equals = bucket.indexOf('=');
                long count = Long.parseLong(bucket.substring(equals + 1));
                histogram.counts[Integer.parseInt(bucket.substring(0, equals))] += count;
                histogram.total += count;
            }
        }
        return histogram;
    }

    private static int index(long value) {
        if (value < 2 * SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        long top = value >>> (exponent - SUB_BITS);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + (int) (top - SUB_BUCKETS);
    }

    private static long lowest(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        long top = SUB_BUCKETS + index % SUB_BUCKETS;
        return top << (exponent - SUB_BITS);
    }
}
