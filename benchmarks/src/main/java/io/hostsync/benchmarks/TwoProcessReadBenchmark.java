package io.hostsync.benchmarks;

import io.hostsync.SharedRegion;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two processes read-locking the same lock at once: a second JVM ({@link Partner} {@code read})
 * read-locks and unlocks a region's default lock in a tight loop for the whole trial, while this
 * process measures its own read lock+unlock pair on the default lock of its region.
 *
 * <ul>
 *   <li>{@code partnerLock=same}: the partner hammers the same region's lock, the case of the
 *       goal (at most 25 ns per pair, docs/performance.md);</li>
 *   <li>{@code partnerLock=separate}: control. The partner does the same work on a region of its
 *       own, so nothing in memory is shared; what remains of the slowdown against the
 *       single-process pair is the cost of two busy processes on the machine (shared cores,
 *       caches, memory bandwidth), not of the lock.</li>
 * </ul>
 * The partner's own rate is printed at the end of each fork ({@code partner: ... ns per read pair}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TwoProcessReadBenchmark {

    /** Whether the partner hammers the same lock as this process, or a lock of another region. */
    @Param({"same", "separate"})
    public String partnerLock;

    private SharedRegion region;
    private SharedRegion partnerRegion;
    private Lock read;
    private PartnerProcess partner;

    /** Opens a region of its own and starts the partner hammering its default lock. */
    @Setup(Level.Trial)
    public void start() {
        region = SharedRegion.open(Regions.options(Regions.uniqueName()));
        read = region.lock().readLock();
        if (partnerLock.equals("same")) {
            partner = PartnerProcess.start("read", region.name());
        } else {
            // Created here, so that it is deleted here; this process never locks it.
            partnerRegion = SharedRegion.open(Regions.options(Regions.uniqueName()));
            partner = PartnerProcess.start("read", partnerRegion.name());
        }
    }

    /** Stops the partner, reports its rate, deletes the region. */
    @TearDown(Level.Trial)
    public void stop() {
        try {
            if (partner != null) {
                String done = partner.stop();
                if (done != null) {
                    System.out.println();
                    System.out.println("partner: " + done + " -> " + perPair(done) + " ns per read pair");
                }
            }
        } finally {
            Regions.closeAndDelete(region);
            Regions.closeAndDelete(partnerRegion);
        }
    }

    private static String perPair(String done) {
        // "done pairs=<n> nanos=<t>"
        long pairs = 0;
        long nanos = 0;
        for (String field : done.split(" ")) {
            if (field.startsWith("pairs=")) {
                pairs = Long.parseLong(field.substring(6));
            } else if (field.startsWith("nanos=")) {
                nanos = Long.parseLong(field.substring(6));
            }
        }
        return pairs == 0 ? "?" : String.format("%.2f", (double) nanos / pairs);
    }

    /** hostsync read lock + unlock while another process does the same on the same lock. */
    @Benchmark
    public void hostsyncReadWithPartnerReading() {
        read.lock();
        read.unlock();
    }
}
