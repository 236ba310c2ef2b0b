package io.hostsync.benchmarks.report;

import io.hostsync.benchmarks.report.Goal.Kind;
import io.hostsync.benchmarks.report.Scenario.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report shows: the scenarios (one table each, against its baseline), the goals, and
 * which scenarios share a chart. Goals are judged on the default backend, {@code robust}.
 */
final class Catalogue {

    private static final Map<String, String> ROBUST = Map.of("backend", "robust");

    private Catalogue() {
    }

    static final Scenario UNCONTENDED_READ = new Scenario("uncontended-read", "Read lock+unlock, uncontended",
            "One thread, one process, nobody else: `lock()` then `unlock()` of the read half.",
            "UncontendedBenchmark", "rrwlRead", List.of(
                    new Row("rrwlRead", "ReentrantReadWriteLock"),
                    new Row("stampedRead", "StampedLock"),
                    new Row("hostsyncRead", "hostsync {backend}"),
                    new Row("fileChannelRead", "FileChannel lock"),
                    new Row("redissonRead", "Redisson RReadWriteLock")),
            List.of(), false, false);

    static final Scenario UNCONTENDED_WRITE = new Scenario("uncontended-write", "Write lock+unlock, uncontended",
            "One thread, one process, nobody else: `lock()` then `unlock()` of the write half.",
            "UncontendedBenchmark", "rrwlWrite", List.of(
                    new Row("rrwlWrite", "ReentrantReadWriteLock"),
                    new Row("stampedWrite", "StampedLock"),
                    new Row("hostsyncWrite", "hostsync {backend}"),
                    new Row("fileChannelWrite", "FileChannel lock"),
                    new Row("redissonWrite", "Redisson RReadWriteLock")),
            List.of(), false, false);

    static final Scenario TWO_READERS = new Scenario("two-readers", "Read lock+unlock with a second reader",
            "This thread's read pair while another participant read-locks the same lock in a loop: another process for"
                    + " the locks shared between processes, another thread for the JVM-local ones. The control row's"
                    + " partner process reads a lock of another region.",
            "TwoProcessReadBenchmark", "rrwlRead", List.of(
                    new Row("rrwlRead", "ReentrantReadWriteLock, 2 threads"),
                    new Row("stampedRead", "StampedLock, 2 threads"),
                    new Row("hostsyncRead", "hostsync {backend}, 2 processes"),
                    new Row("hostsyncReadPartnerOnOtherRegion", "hostsync, other process on another region (control)"),
                    new Row("fileChannelRead", "FileChannel lock, 2 processes"),
                    new Row("redissonRead", "Redisson, 2 processes")),
            List.of(), false, false);

    static final Scenario HANDOFF = new Scenario("handoff", "Write lock handoff to a parked process",
            "Release the write lock to a writer of another process that is asleep in the kernel, until it has it;"
                    + " the baseline wakes a process asleep on a bare shared futex. The file backend's waiter polls"
                    + " (pauses growing from 20 µs to 1 ms) instead of sleeping where a release wakes it: its handoff"
                    + " includes what was left of its pause, here one of its first, short ones (a waiter that has waited"
                    + " long looks once a millisecond). The tryLock(timeout) row's waiter parks in Java and a relay"
                    + " thread sleeps on the futex for it (the annotations' path). Mean with JMH's error, median and"
                    + " 99th percentile.",
            "HandoffBenchmark", "rawFutexWakeOfParked", List.of(
                    new Row("rawFutexWakeOfParked", "raw futex wake"),
                    new Row("hostsyncWriteHandoffToParked", "hostsync {backend}"),
                    new Row("hostsyncTimedWriteHandoffToParked", "hostsync robust, tryLock(timeout)"),
                    new Row("fileChannelWriteHandoffToParked", "FileChannel lock")),
            List.of("placement"), false, true);

    static final Scenario MIXED = new Scenario("mixed", "Mixed read/write throughput",
            "Every participant runs the same loop, nine read lock+unlock for one write lock+unlock (10 % writes), or 99"
                    + " for one (1 % writes); the score is the"
                    + " measured participant's own rate (the host's total is about the number of participants times"
                    + " it). Other participants are processes for the locks shared between processes, threads for the"
                    + " JVM-local ones. Higher is better.",
            "MixedBenchmark", "rrwl", List.of(
                    new Row("rrwl", "ReentrantReadWriteLock (threads)"),
                    new Row("stamped", "StampedLock (threads)"),
                    new Row("hostsync", "hostsync {backend} (processes)"),
                    new Row("fileChannel", "FileChannel lock (processes)"),
                    new Row("redisson", "Redisson (processes)")),
            List.of("writePercent", "participants"), false, false);

    static final Scenario SERVICE_SHAPE = new Scenario("service-shape",
            "Service shape: 4 JVMs × 16 threads, 1 % writes",
            "64 request threads on one lock, 99 reads for one write: for hostsync 4 JVMs of 16 threads, for the"
                    + " baseline one JVM. The score is 16 of the threads' total (those of the measuring JVM). Higher is"
                    + " better.",
            "ServiceShapeBenchmark", "rrwl", List.of(
                    new Row("rrwl", "ReentrantReadWriteLock, 64 threads of one JVM"),
                    new Row("hostsync", "hostsync {backend}, 4 JVMs × 16 threads")),
            List.of(), false, false);

    static final Scenario COUNTER = new Scenario("counter", "Counter increment",
            "One thread: `incrementAndGet()`.",
            "StateBenchmark", "atomicLongIncrement", List.of(
                    new Row("atomicLongIncrement", "AtomicLong"),
                    new Row("sharedCounterIncrement", "SharedCounter")),
            List.of(), false, false);

    static final Scenario VALUE_UNCHANGED = new Scenario("value-unchanged", "Value read, unchanged",
            "One thread: `get()` of a value (a quote of 32 prices) that has not changed since the last read.",
            "StateBenchmark", "atomicReferenceGet", List.of(
                    new Row("atomicReferenceGet", "AtomicReference"),
                    new Row("sharedValueGetUnchanged", "SharedValue")),
            List.of(), false, false);

    static final Scenario VALUE_CHANGED = new Scenario("value-changed", "Value read after a change",
            "One thread: `get()` right after the value was replaced (untimed, before each read), so that"
                    + " `SharedValue` decodes it. Both go through JMH's per-invocation harness, whose clock reads are"
                    + " in both figures: the difference is what decoding costs.",
            "StateBenchmark", "atomicReferenceGetAfterChange", List.of(
                    new Row("atomicReferenceGetAfterChange", "AtomicReference"),
                    new Row("sharedValueGetAfterChange", "SharedValue")),
            List.of(), true, false);

    static final Scenario TRANSFER = new Scenario("transfer", "One object to another JVM and an answer back",
            "The same quote, encoded the same way, to a partner JVM that decodes it and answers: through a"
                    + " `SharedValue` (both sides spin) or a Unix domain socket (both sides sleep in the kernel).",
            "TransferBenchmark", "unixSocket", List.of(
                    new Row("unixSocket", "Unix domain socket"),
                    new Row("sharedValue", "SharedValue")),
            List.of(), false, false);

    static final Scenario GUARDED_READ = new Scenario("guarded-read", "@ReadGuarded method call",
            "A Spring bean's method called through its proxy, against the same lock taken by hand around the same"
                    + " body. No MeterRegistry.",
            "GuardedCallBenchmark", "directRead", List.of(
                    new Row("directRead", "read lock by hand"),
                    new Row("guardedRead", "@ReadGuarded")),
            List.of(), true, false);

    static final Scenario GUARDED_WRITE = new Scenario("guarded-write", "@WriteGuarded method call",
            "As above, with the write lock.",
            "GuardedCallBenchmark", "directWrite", List.of(
                    new Row("directWrite", "write lock by hand"),
                    new Row("guardedWrite", "@WriteGuarded")),
            List.of(), true, false);

    /** Every scenario, in the order of the report. */
    static final List<Scenario> SCENARIOS = List.of(UNCONTENDED_READ, UNCONTENDED_WRITE, TWO_READERS, HANDOFF, MIXED,
            SERVICE_SHAPE, COUNTER, VALUE_UNCHANGED, VALUE_CHANGED, TRANSFER, GUARDED_READ, GUARDED_WRITE);

    /** The goals, in the order of the report. */
    static final List<Goal> GOALS = List.of(
            new Goal("1", "uncontended read lock+unlock ≤ 1.5× ReentrantReadWriteLock", "read pair ≤ 1.5× RRWL",
                    "UncontendedBenchmark.hostsyncRead", ROBUST, "UncontendedBenchmark.rrwlRead", Map.of(),
                    Kind.RATIO_AT_MOST, 1.5),
            new Goal("2", "uncontended write lock+unlock ≤ 2× ReentrantReadWriteLock", "write pair ≤ 2× RRWL",
                    "UncontendedBenchmark.hostsyncWrite", ROBUST, "UncontendedBenchmark.rrwlWrite", Map.of(),
                    Kind.RATIO_AT_MOST, 2),
            new Goal("3", "read lock+unlock while another process reads the same lock ≤ 25 ns",
                    "2-process read pair ≤ 25 ns",
                    "TwoProcessReadBenchmark.hostsyncRead", ROBUST, null, Map.of(), Kind.NANOS_AT_MOST, 25),
            new Goal("4 (pinned)", "parked write handoff ≤ 1.3× a raw futex wake, threads pinned to two CPUs",
                    "handoff ≤ 1.3× futex, pinned",
                    "HandoffBenchmark.hostsyncWriteHandoffToParked", Map.of("backend", "robust", "placement", "pinned"),
                    "HandoffBenchmark.rawFutexWakeOfParked", Map.of("placement", "pinned"), Kind.RATIO_AT_MOST, 1.3),
            new Goal("4 (free)", "parked write handoff ≤ 1.3× a raw futex wake, threads placed by the scheduler",
                    "handoff ≤ 1.3× futex, free",
                    "HandoffBenchmark.hostsyncWriteHandoffToParked", Map.of("backend", "robust", "placement", "free"),
                    "HandoffBenchmark.rawFutexWakeOfParked", Map.of("placement", "free"), Kind.RATIO_AT_MOST, 1.3),
            new Goal("4 (timed, pinned)",
                    "parked write handoff through tryLock(timeout) ≤ 1.3× a raw futex wake, pinned",
                    "timed handoff ≤ 1.3× futex, pinned",
                    "HandoffBenchmark.hostsyncTimedWriteHandoffToParked", Map.of("placement", "pinned"),
                    "HandoffBenchmark.rawFutexWakeOfParked", Map.of("placement", "pinned"), Kind.RATIO_AT_MOST, 1.3),
            new Goal("4 (timed, free)", "parked write handoff through tryLock(timeout) ≤ 1.3× a raw futex wake, free",
                    "timed handoff ≤ 1.3× futex, free",
                    "HandoffBenchmark.hostsyncTimedWriteHandoffToParked", Map.of("placement", "free"),
                    "HandoffBenchmark.rawFutexWakeOfParked", Map.of("placement", "free"), Kind.RATIO_AT_MOST, 1.3),
            new Goal("5 (read)", "uncontended read lock+unlock ≥ 1000× faster than Redisson's on the same host",
                    "read pair ≥ 1000× faster than Redisson",
                    "UncontendedBenchmark.hostsyncRead", ROBUST, "UncontendedBenchmark.redissonRead", Map.of(),
                    Kind.SPEEDUP_AT_LEAST, 1000),
            new Goal("5 (write)", "uncontended write lock+unlock ≥ 1000× faster than Redisson's on the same host",
                    "write pair ≥ 1000× faster than Redisson",
                    "UncontendedBenchmark.hostsyncWrite", ROBUST, "UncontendedBenchmark.redissonWrite", Map.of(),
                    Kind.SPEEDUP_AT_LEAST, 1000),
            new Goal("6", "SharedCounter increment ≤ 2× AtomicLong", "counter ≤ 2× AtomicLong",
                    "StateBenchmark.sharedCounterIncrement", Map.of(), "StateBenchmark.atomicLongIncrement", Map.of(),
                    Kind.RATIO_AT_MOST, 2),
            new Goal("7", "unchanged SharedValue read ≤ 3× AtomicReference", "unchanged value ≤ 3× AtomicReference",
                    "StateBenchmark.sharedValueGetUnchanged", Map.of(), "StateBenchmark.atomicReferenceGet", Map.of(),
                    Kind.RATIO_AT_MOST, 3),
            new Goal("8 (read)", "@ReadGuarded adds ≤ 100 ns to taking the lock by hand", "@ReadGuarded adds ≤ 100 ns",
                    "GuardedCallBenchmark.guardedRead", Map.of(), "GuardedCallBenchmark.directRead", Map.of(),
                    Kind.ADDED_NANOS_AT_MOST, 100),
            new Goal("8 (write)", "@WriteGuarded adds ≤ 100 ns to taking the lock by hand",
                    "@WriteGuarded adds ≤ 100 ns",
                    "GuardedCallBenchmark.guardedWrite", Map.of(), "GuardedCallBenchmark.directWrite", Map.of(),
                    Kind.ADDED_NANOS_AT_MOST, 100),
            mixedGoal("10", 1), mixedGoal("10", 2), mixedGoal("10", 4), mixedGoal("10", 8),
            mixedGoal("1", 1), mixedGoal("1", 2), mixedGoal("1", 4), mixedGoal("1", 8),
            new Goal("10", "4 JVMs × 16 threads, 1 % writes ≥ 1.0× 64 threads of one JVM on ReentrantReadWriteLock",
                    "service shape ≥ 1.0× RRWL", "ServiceShapeBenchmark.hostsync", ROBUST, "ServiceShapeBenchmark.rrwl",
                    Map.of(),
                    Kind.RATIO_AT_LEAST, 1.0));

    /** Goal 9 at one share of writes and one count: a participant's rate at least that of a thread on ReentrantReadWriteLock. */
    private static Goal mixedGoal(String writePercent, int participants) {
        String where = writePercent + " % writes, " + participants
                + (participants == 1 ? " participant" : " participants");
        Map<String, String> params = Map.of("writePercent", writePercent, "participants",
                Integer.toString(participants));
        Map<String, String> hostsync = new HashMap<>(params);
        hostsync.put("backend", "robust");
        return new Goal("9 (" + where + ")", "mixed read/write, " + where + " ≥ 1.0× ReentrantReadWriteLock (threads)",
                "mixed " + writePercent + " %, " + participants + " ≥ 1.0× RRWL", "MixedBenchmark.hostsync",
                Map.copyOf(hostsync),
                "MixedBenchmark.rrwl", params, Kind.RATIO_AT_LEAST, 1.0);
    }

    /**
     * A chart: the scenarios it draws, each a series (or one series per group of a grouped scenario).
     *
     * @param file the PNG's name without {@code perf-} and {@code .png}
     * @param title its title
     * @param scenarios the scenarios
     * @param seriesNames the series name of each scenario (for a grouped scenario, the prefix of its groups')
     * @param logarithmic whether the axis is logarithmic
     */
    record Chart(String file, String title, List<Scenario> scenarios, List<String> seriesNames, boolean logarithmic) {
    }

    /** The charts besides the goals chart; contenders are the categories. */
    static final List<Chart> CHARTS = List.of(
            new Chart("locks-uncontended", "Lock+unlock, one thread, nobody else (lower is better)",
                    List.of(UNCONTENDED_READ, UNCONTENDED_WRITE), List.of("read", "write"), true),
            new Chart("locks-two-readers", "Read lock+unlock with a second reader (lower is better)",
                    List.of(TWO_READERS), List.of("read"), true),
            new Chart("locks-handoff", "Write lock handoff to a parked process, mean (lower is better)",
                    List.of(HANDOFF), List.of(""), false),
            new Chart("locks-mixed", "Mixed read/write, throughput of one participant (higher is better)",
                    List.of(MIXED), List.of(""), true));

    /** The state and annotation scenarios, drawn together: one category each, hostsync against its baseline. */
    static final List<Scenario> STATE_CHART = List.of(COUNTER, VALUE_UNCHANGED, VALUE_CHANGED, TRANSFER, GUARDED_READ,
            GUARDED_WRITE);
}
