package io.hostsync.benchmarks;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WaitHistogramTests {

    @Test
    void percentilesAreWithinOneSixteenthOfTheExactOnes() {
        Random random = new Random(19);
        long[] waits = new long[10_000];
        WaitHistogram histogram = new WaitHistogram();
        for (int i = 0; i < waits.length; i++) {
            waits[i] = (long) Math.exp(random.nextDouble() * 18);
            histogram.record(waits[i]);
        }
        Arrays.sort(waits);
        for (double fraction : new double[] { 0.0, 0.5, 0.9, 0.99, 0.999 }) {
            long exact = waits[(int) (waits.length * fraction)];
            assertThat(histogram.percentile(fraction)).as("p%s", fraction)
                    .isLessThanOrEqualTo(exact)
                    .isGreaterThanOrEqualTo(exact - exact / 16);
        }
        assertThat(histogram.max()).isEqualTo(waits[waits.length - 1]);
        assertThat(histogram.count()).isEqualTo(waits.length);
    }

    @Test
    void smallWaitsAreExact() {
        WaitHistogram histogram = new WaitHistogram();
        for (long wait = 0; wait < 32; wait++) {
            histogram.record(wait);
        }
        assertThat(histogram.percentile(0.5)).isEqualTo(16);
        assertThat(histogram.percentile(0.0)).isZero();
    }

    @Test
    void hostsMergeTheirProcessesEncodedHistograms() {
        WaitHistogram first = new WaitHistogram();
        WaitHistogram second = new WaitHistogram();
        for (int i = 0; i < 99; i++) {
            first.record(10);
        }
        second.record(1_000_000);
        WaitHistogram host = new WaitHistogram();
        host.add(WaitHistogram.decode(first.encode()));
        host.add(WaitHistogram.decode(second.encode()));
        assertThat(host.count()).isEqualTo(100);
        assertThat(host.percentile(0.5)).isEqualTo(10);
        assertThat(host.percentile(0.99)).isGreaterThan(1_000_000 - 1_000_000 / 16);
        assertThat(host.max()).isEqualTo(1_000_000);
        assertThat(WaitHistogram.decode(new WaitHistogram().encode()).count()).isZero();
    }
}
