package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.hostsync.testing.JvmProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two simulated hosts on this machine (two region directories, so two host locks and two host
 * identities), four JVMs each, all working on one number kept in a real lock engine under one
 * cohort lock. Every hold is logged with {@code CLOCK_MONOTONIC} times; at the end no write may
 * overlap any other hold, no read of one host may overlap a read of the other, and the number must
 * equal the writes that completed (no lost update).
 */
abstract class CohortLockAcrossHostsContract {

    static final int PROCESSES_PER_HOST = 4;

    static final long LEASE_MILLIS = 10_000;

    private Path hostA;

    private Path hostB;

    private Path logs;

    private final String region = "cohort-" + Long.toHexString(System.nanoTime());

    private final List<JvmProcess> processes = new ArrayList<>();

    /** @return {@code redis} or {@code postgres} */
    abstract String engine();

    /** @return where the workers reach the engine */
    abstract String endpoint();

    /** Stops the engine as a crash does. */
    abstract void stopEngine() throws Exception;

    /** Starts it again, with its data. */
    abstract void startEngine() throws Exception;

    /** @return the shared number, read from the engine */
    abstract long value();

    /** Sets the shared number to 0 and removes leases of earlier tests. */
    abstract void reset();

    @BeforeEach
    void createHosts() throws IOException {
        this.hostA = Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-cohort-a-");
        this.hostB = Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-cohort-b-");
        this.logs = Files.createTempDirectory("hostsync-cohort-logs-");
        reset();
    }

    @AfterEach
    void stopProcesses() throws IOException {
        this.processes.forEach(JvmProcess::close);
        for (Path directory : List.of(this.hostA, this.hostB, this.logs)) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(120)
    void mixedReadsAndWritesOfTwoHostsNeverOverlapAcrossHostsAndLoseNoUpdate() throws Exception {
        List<JvmProcess> workers = startMixed(PROCESSES_PER_HOST, PROCESSES_PER_HOST, 4000);
        go(workers);
        Map<String, Long> totals = awaitDone(workers, Duration.ofSeconds(60));
        assertNoOverlap(Map.of());
        assertThat(value()).as("the shared number: one per completed write").isEqualTo(totals.get("writes"));
        assertThat(totals.get("writes")).as("writes").isPositive();
        assertThat(totals.get("handoffs")).as("acquisitions that passed the remote hold within a host").isPositive();
        assertThat(totals.get("lost")).as("leases lost").isZero();
    }

    @Test
    @Timeout(120)
    void killingTheHostsRemoteHolderLetsItsNeighboursTakeOverAndNeverTheOtherHostMeanwhile() throws Exception {
        JvmProcess holder = start(this.hostA, "holder", "hold");
        holder.expect("READY", Duration.ofSeconds(60));
        holder.send("go");
        holder.expect("HOLDING", Duration.ofSeconds(30));
        List<JvmProcess> workers = startMixed(PROCESSES_PER_HOST - 1, PROCESSES_PER_HOST, 5000);
        go(workers);
        // everyone waits behind the holder: host A's other processes for the host lock, host B for the remote
        // lease (its first process in, holding host B's lock meanwhile)
        awaitHostLock(this.hostA, "host A's processes waiting behind the holder",
                (host) -> host.waitingReaders() + host.waitingWriters() >= PROCESSES_PER_HOST - 1);
        awaitHostLock(this.hostB, "host B's process waiting for the lease with its host lock",
                (host) -> host.readHolds() > 0 || host.writerSlot() >= 0);
        // the holder's hold ends when SIGKILL is sent: hostsync may hand its share on before kill() returns
        long killed = System.nanoTime();
        holder.kill();
        Map<String, Long> totals = awaitDone(workers, Duration.ofSeconds(60));
        assertNoOverlap(Map.of("holder", killed));
        assertThat(value()).as("the shared number: one per completed write").isEqualTo(totals.get("writes"));
        assertThat(totals.get("writes")).as("writes after the holder died").isPositive();
        assertThat(totals.get("lost")).as("leases lost").isZero();
    }

    @Test
    @Timeout(150)
    void restartingTheEngineMidRunCausesNoOverlapAndNoHang() throws Exception {
        List<JvmProcess> workers = startMixed(PROCESSES_PER_HOST, PROCESSES_PER_HOST, 8000);
        go(workers);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20); // mid-run: a few writes done
        }
        assertThat(value()).as("writes before the engine stops").isGreaterThanOrEqualTo(4);
        stopEngine();
        Thread.sleep(3000);
        startEngine();
        // 8 s of work, then at most one 5 s acquisition and one 20 s data retry each, and a top-up of two reads and two writes: no hang beyond the timeouts
        Map<String, Long> totals = awaitDone(workers, Duration.ofSeconds(60));
        assertNoOverlap(Map.of());
        assertThat(value()).as("the shared number: one per completed write").isEqualTo(totals.get("writes"));
        assertThat(totals.get("writes")).as("writes").isPositive();
    }

    @Test
    @Timeout(60)
    void aHolderThatOutlivesTheLeaseTimeKeepsOtherHostsOutBecauseItsHostRenewsTheLease() throws Exception {
        try (InJvmHost a = new InJvmHost(this.hostA); InJvmHost b = new InJvmHost(this.hostB)) {
            assertThat(a.lock.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            try {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * SHORT_LEASE_MILLIS);
                while (System.nanoTime() < end) {
                    assertThat(b.lock.readLock().tryLock(100, TimeUnit.MILLISECONDS))
                            .as("host B while host A holds the lock past its lease time").isFalse();
                }
            } finally {
                a.lock.writeLock().unlock();
            }
            assertThat(b.lock.writeLock().tryLock(5, TimeUnit.SECONDS)).as("host B once A released").isTrue();
            b.lock.writeLock().unlock();
            assertThat(a.lock.statistics().leasesLost()).isZero();
        }
    }

    @Test
    @Timeout(90)
    void whileTheEngineIsDownAcquisitionsFailNamingItAndHoldNothingThenWorkAgain() throws Exception {
        try (InJvmHost a = new InJvmHost(this.hostA)) {
            stopEngine();
            try {
                assertThatThrownBy(() -> a.lock.writeLock().tryLock(1, TimeUnit.SECONDS))
                        .isInstanceOf(RemoteLockUnavailableException.class)
                        .hasMessageContaining("Could not take the remote lock")
                        .hasMessageContaining("nothing is held");
                assertThat(a.lock.lastFailure()).as("what the health indicator reports").isNotNull();
                assertThat(a.lock.hostLock().hostStatistics().writerSlot()).as("the host lock after the failure")
                        .isEqualTo(-1);
            } finally {
                startEngine();
            }
            assertThat(a.lock.writeLock().tryLock(30, TimeUnit.SECONDS)).isTrue();
            a.lock.writeLock().unlock();
            assertThat(a.lock.lastFailure()).isNull();
        }
    }

    @Test
    @Timeout(150)
    void keyedLocksOfTwoHostsExcludeEachOtherPerKeyAndTheirRecordsComeAndGo() throws Exception {
        List<JvmProcess> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path host = (i < 2) ? this.hostA : this.hostB;
            workers.add(start(host, ((i < 2) ? "a" : "b") + i, "keyed", "6000", "70"));
        }
        for (JvmProcess worker : workers) {
            worker.expect("READY", Duration.ofSeconds(90));
        }
        go(workers);
        Map<String, Long> totals = new HashMap<>();
        long maxRecords = 0;
        for (JvmProcess worker : workers) {
            String done = worker.expect("DONE", Duration.ofSeconds(60));
            for (String field : done.substring("DONE ".length()).split(" ")) {
                String[] pair = field.split("=");
                if (pair[0].equals("maxRecords")) {
                    maxRecords = Math.max(maxRecords, Long.parseLong(pair[1]));
                } else {
                    totals.merge(pair[0], Long.parseLong(pair[1]), Long::sum);
                }
            }
        }
        System.out.println(getClass().getSimpleName() + " keyed " + engine() + ": " + totals + " maxRecords="
                + maxRecords);
        List<String[]> holds = new ArrayList<>();
        try (Stream<Path> files = Files.list(this.logs)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace(".log", "");
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 5 && parts[0].equals("K")) {
                        holds.add(new String[] { name.substring(0, 1), name, parts[1], parts[2], parts[3], parts[4] });
                    }
                }
            }
        }
        Map<String, List<String[]>> byKey = new HashMap<>();
        holds.forEach((hold) -> byKey.computeIfAbsent(hold[2], (key) -> new ArrayList<>()).add(hold));
        List<String> violations = new ArrayList<>();
        long contended = 0;
        for (List<String[]> ofKey : byKey.values()) {
            ofKey.sort(Comparator.comparingLong((String[] hold) -> Long.parseLong(hold[4])));
            for (int i = 0; i < ofKey.size(); i++) {
                String[] first = ofKey.get(i);
                for (int j = i + 1; j < ofKey.size()
                        && Long.parseLong(ofKey.get(j)[4]) < Long.parseLong(first[5]); j++) {
                    String[] second = ofKey.get(j);
                    boolean bothRead = first[3].equals("r") && second[3].equals("r");
                    if (!first[1].equals(second[1]) && (!bothRead || !first[0].equals(second[0]))) {
                        violations.add(String.join(" ", first) + " overlaps " + String.join(" ", second));
                    }
                }
            }
            if (ofKey.stream().map((hold) -> hold[0]).distinct().count() > 1) {
                contended++;
            }
        }
        assertThat(totals.get("holds")).as("holds").isPositive();
        assertThat(byKey).as("distinct keys").hasSizeGreaterThanOrEqualTo(400);
        assertThat(contended).as("keys both hosts took").isGreaterThanOrEqualTo(4);
        assertThat(violations).as("holds of one key that overlapped though the lock excludes them").isEmpty();
        assertThat(maxRecords).as("keyed records of a host at once, with two processes of one thread each")
                .isLessThanOrEqualTo(8);
        // once the processes are gone, a process of each host finds no record left, or clears what is
        for (Path host : List.of(this.hostA, this.hostB)) {
            try (InJvmHost remaining = new InJvmHost(host)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (remaining.locks.keyedRecords() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(remaining.locks.keyedRecords()).as("keyed records left on " + host).isZero();
            }
        }
    }

    @Test
    @Timeout(90)
    void killingTheHolderOfAKeyLetsItsHostReleaseTheLeaseAndRemoveTheRecord() throws Exception {
        try (InJvmHost a = new InJvmHost(this.hostA); InJvmHost b = new InJvmHost(this.hostB)) {
            JvmProcess holder = start(this.hostA, "holder", "keyedhold");
            holder.expect("READY", Duration.ofSeconds(60));
            holder.send("go");
            holder.expect("HOLDING", Duration.ofSeconds(30));
            CohortLock other = b.locks.lock("items", "crash");
            assertThat(other.writeLock().tryLock(500, TimeUnit.MILLISECONDS))
                    .as("host B while A's process holds the key")
                    .isFalse();
            assertThat(a.locks.keyedRecords()).as("host A's records while its process holds the key").isEqualTo(1);
            holder.kill();
            // the worker's lease lasts LEASE_MILLIS: host B gets the key sooner only if host A's other process
            // finds the dead holder's record and releases the lease
            long killed = System.nanoTime();
            assertThat(other.writeLock().tryLock(LEASE_MILLIS / 2, TimeUnit.MILLISECONDS)).as("host B after the kill")
                    .isTrue();
            System.out.println("host B took the key " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                    + " ms after the kill");
            other.writeLock().unlock();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.locks.keyedRecords() + b.locks.keyedRecords() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(a.locks.keyedRecords()).as("host A's records after the kill").isZero();
            assertThat(b.locks.keyedRecords()).as("host B's records after its release").isZero();
        }
    }

    @Test
    @Timeout(60)
    void failedAcquisitionsOfKeysHeldByTheOtherHostLeaveNoRecord() throws Exception {
        try (InJvmHost a = new InJvmHost(this.hostA); InJvmHost b = new InJvmHost(this.hostB)) {
            CohortLock held = b.locks.lock("items", "busy");
            assertThat(held.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            try {
                for (int i = 0; i < 100; i++) {
                    CohortLock wanted = a.locks.lock("items", "busy");
                    assertThat((i % 2 == 0) ? wanted.writeLock().tryLock() : wanted.readLock().tryLock()).isFalse();
                }
                assertThat(a.locks.keyedRecords()).as("host A's records after 100 failed tryLock()").isZero();
                assertThat(b.locks.keyedRecords()).as("host B's record of the key it holds").isEqualTo(1);
            } finally {
                held.writeLock().unlock();
            }
            assertThat(b.locks.keyedRecords()).as("host B's records after its release").isZero();
        }
    }

    /** Waits until the cohort lock {@code data} of a host's region is in a state, seen from this JVM. */
    private void awaitHostLock(Path host, String what, java.util.function.Predicate<io.hostsync.LockStatistics> state)
            throws InterruptedException {
        try (io.hostsync.SharedRegion region = io.hostsync.SharedRegion
                .open(io.hostsync.RegionOptions.builder(this.region).directory(host).build())) {
            io.hostsync.RWLock lock = region.lock("data");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!state.test(lock.hostStatistics()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(state.test(lock.hostStatistics())).as(what + ": " + lock.hostStatistics()).isTrue();
        }
    }

    static final long SHORT_LEASE_MILLIS = 900;

    /** A host in this JVM: its region, and a cohort lock whose lease lasts {@value #SHORT_LEASE_MILLIS} ms. */
    private final class InJvmHost implements AutoCloseable {

        final TestEngine engine = TestEngine.open(engine(), endpoint());

        final io.hostsync.SharedRegion region;

        final CohortLocks locks;

        final CohortLock lock;

        InJvmHost(Path directory) {
            this.region = io.hostsync.SharedRegion
                    .open(io.hostsync.RegionOptions.builder(CohortLockAcrossHostsContract.this.region)
                            .directory(directory)
                            .build());
            this.locks = new CohortLocks(this.region, this.engine.leases(), new CohortSettings(
                    Duration.ofMillis(SHORT_LEASE_MILLIS), 16, Duration.ofSeconds(5), Duration.ofMillis(10)));
            this.lock = this.locks.lock("data");
        }

        @Override
        public void close() {
            this.locks.close();
            this.region.close();
            this.engine.close();
        }
    }

    private List<JvmProcess> startMixed(int onA, int onB, long millis) {
        List<JvmProcess> workers = new ArrayList<>();
        for (int i = 0; i < onA + onB; i++) {
            Path host = (i < onA) ? this.hostA : this.hostB;
            String name = ((i < onA) ? "a" : "b") + i;
            workers.add(start(host, name, "mixed", String.valueOf(millis), "30"));
        }
        for (JvmProcess worker : workers) {
            worker.expect("READY", Duration.ofSeconds(90));
        }
        return workers;
    }

    private void go(List<JvmProcess> workers) {
        workers.forEach((worker) -> worker.send("go"));
    }

    private JvmProcess start(Path host, String name, String mode, String... more) {
        List<String> arguments = new ArrayList<>(List.of(engine(), endpoint(), host.toString(), this.region,
                this.logs.resolve((host.equals(this.hostA) ? "A-" : "B-") + name + ".log").toString(),
                String.valueOf(LEASE_MILLIS), "16", mode));
        arguments.addAll(List.of(more));
        JvmProcess process = JvmProcess.start(List.of(), CohortWorker.class, arguments.toArray(String[]::new));
        this.processes.add(process);
        return process;
    }

    private Map<String, Long> awaitDone(List<JvmProcess> workers, Duration timeout) {
        Map<String, Long> totals = new HashMap<>();
        for (JvmProcess worker : workers) {
            String done = worker.expect("DONE", timeout);
            for (String field : done.substring("DONE ".length()).split(" ")) {
                String[] pair = field.split("=");
                totals.merge(pair[0], Long.parseLong(pair[1]), Long::sum);
            }
        }
        System.out.println(getClass().getSimpleName() + " " + engine() + ": " + totals);
        return totals;
    }

    record Hold(String host, String worker, boolean write, long start, long end) {
    }

    /** Reads the logs; a hold begun by a process killed inside it ends at the kill. */
    private void assertNoOverlap(Map<String, Long> killedAt) throws IOException {
        List<Hold> holds = new ArrayList<>();
        try (Stream<Path> files = Files.list(this.logs)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace(".log", "");
                String host = name.substring(0, 1);
                String worker = name.substring(2);
                Map<Long, String> open = new HashMap<>();
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.split(" ");
                    if (parts.length < 3) {
                        continue; // a line cut by SIGKILL
                    }
                    long start = Long.parseLong(parts[2]);
                    if (parts[0].equals("S")) {
                        open.put(start, parts[1]);
                    } else if (parts.length == 4) {
                        open.remove(start);
                        holds.add(new Hold(host, worker, parts[1].equals("w"), start, Long.parseLong(parts[3])));
                    }
                }
                open.forEach((start, mode) -> {
                    Long end = killedAt.get(worker);
                    assertThat(end).as("the hold of " + name + " begun at " + start + " never ended").isNotNull();
                    holds.add(new Hold(host, worker, mode.equals("w"), start, end));
                });
            }
        }
        holds.sort(Comparator.comparingLong(Hold::start));
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < holds.size(); i++) {
            Hold first = holds.get(i);
            for (int j = i + 1; j < holds.size() && holds.get(j).start() < first.end(); j++) {
                Hold second = holds.get(j);
                boolean sameProcess = first.host().equals(second.host()) && first.worker().equals(second.worker());
                if (!sameProcess && (first.write() || second.write() || !first.host().equals(second.host()))) {
                    violations.add(first + " overlaps " + second);
                }
            }
        }
        assertThat(holds).as("holds logged").isNotEmpty();
        assertThat(violations).as("holds that overlapped though the lock excludes them").isEmpty();
    }
}
