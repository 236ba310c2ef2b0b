package io.hostsync.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * Issue 19: a cohort lock against the engine's plain Spring Integration registry, over Redis
 * ({@code RedisLockRegistry} in pub/sub mode, its fastest) and over PostgreSQL
 * ({@code JdbcLockRegistry} on the {@code INT_LOCK} table, polling every 5 ms like the cohort
 * lock): two simulated hosts (two region directories) with {@code perHost} processes each, all
 * taking one write lock around a short critical section. The score is the acquisitions per second
 * of this process (host A's first); at the end of the trial it prints, for all processes, the
 * acquisitions per host, the remote acquisitions and the server's operations per acquisition
 * (Redis: {@code total_commands_processed}; PostgreSQL: transactions from {@code pg_stat_database}),
 * each process's line ({@code COHORT-PROCESS}) and each host's share and wait-time distribution
 * over its processes ({@code COHORT-HOST}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class CohortLockBenchmark {

    @Param({ "redis", "jdbc" })
    public String engine;

    @Param({ "cohort", "registry" })
    public String lock;

    @Param({ "1", "2", "4" })
    public int perHost;

    /** The cohort lock's bound of local handoffs before the lease goes back to the engine. */
    @Param({ "16" })
    public int localHandoffs;

    private CohortEngine server;

    private final List<Process> partners = new ArrayList<>();

    private final List<Path> hosts = new ArrayList<>();

    private CohortContender contender;

    private long operationsAtStart;

    private boolean started;

    @Setup(Level.Trial)
    public void start() throws Exception {
        try {
            startAll();
        } catch (Exception | Error e) {
            // JMH does not tear down a trial whose setup failed: leave no server or partner behind.
            cleanUp();
            throw e;
        }
        this.started = true;
    }

    private void startAll() throws Exception {
        this.server = CohortEngine.start(this.engine);
        String region = "bench-cohort-" + Long.toHexString(System.nanoTime());
        this.hosts.add(Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-bench-a-"));
        this.hosts.add(Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-bench-b-"));
        System.setProperty(CohortContender.LOCAL_HANDOFFS, String.valueOf(this.localHandoffs));
        this.contender = new CohortContender(this.engine, this.lock, this.server.endpoint(), this.hosts.get(0),
                region);
        for (int i = 1; i < 2 * this.perHost; i++) {
            int host = (i < this.perHost) ? 0 : 1;
            Process partner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-D" + CohortContender.LOCAL_HANDOFFS + "=" + this.localHandoffs, "-cp",
                    System.getProperty("java.class.path"), CohortContender.class.getName(),
                    this.engine, this.lock, this.server.endpoint(), this.hosts.get(host).toString(), region,
                    host == 0 ? "A" : "B")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            this.partners.add(partner);
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(partner.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IllegalStateException("partner " + i + " did not start");
            }
        }
        this.contender.acquireAndRelease();
        this.operationsAtStart = this.server.operations();
        this.contender.reset();
        for (Process partner : this.partners) {
            partner.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            partner.getOutputStream().flush();
        }
    }

    @Benchmark
    public void acquireAndRelease() {
        this.contender.acquireAndRelease();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            if (this.started) {
                report();
            }
        } finally {
            cleanUp();
        }
    }

    private void cleanUp() throws Exception {
        for (Process partner : this.partners) {
            partner.destroyForcibly();
        }
        this.partners.clear();
        try {
            if (this.contender != null) {
                this.contender.close();
                this.contender = null;
            }
        } finally {
            if (this.server != null) {
                this.server.close();
                this.server = null;
            }
            for (Path host : this.hosts) {
                try (Stream<Path> files = Files.walk(host)) {
                    files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
                }
            }
            this.hosts.clear();
        }
    }

    private void report() throws Exception {
        List<String> stats = new ArrayList<>();
        stats.add("A " + this.contender.stats());
        for (Process partner : this.partners) {
            partner.getOutputStream().close();
        }
        for (Process partner : this.partners) {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(partner.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("STATS ")) {
                    stats.add(line.substring("STATS ".length()));
                }
            }
            partner.waitFor(30, TimeUnit.SECONDS);
        }
        // Every client gone (PostgreSQL counts a backend's transactions when it exits or idles for a second).
        this.contender.close();
        this.contender = null;
        if (this.engine.equals("jdbc")) {
            Thread.sleep(1500);
        }
        long operations = this.server.operations() - this.operationsAtStart;
        long total = 0;
        long remote = 0;
        String[] names = { "A", "B" };
        long[] hostAcquisitions = new long[2];
        long[] hostRemote = new long[2];
        int[] hostProcesses = new int[2];
        WaitHistogram[] hostWaits = { new WaitHistogram(), new WaitHistogram() };
        for (String line : stats) {
            String[] fields = line.split(" ");
            int host = fields[0].equals("A") ? 0 : 1;
            long acquisitions = Long.parseLong(fields[1]);
            total += acquisitions;
            remote += Long.parseLong(fields[2]);
            hostAcquisitions[host] += acquisitions;
            hostRemote[host] += Long.parseLong(fields[2]);
            hostProcesses[host]++;
            hostWaits[host].add(WaitHistogram.decode(fields[6]));
        }
        System.out.printf("%nCOHORT engine=%s lock=%s perHost=%d localHandoffs=%d acquisitions=%d hostA=%d hostB=%d"
                + " remoteAcquisitions=%d remotePerAcquisition=%.3f %s=%d %sPerAcquisition=%.3f%n", this.engine,
                this.lock, this.perHost, this.localHandoffs, total, hostAcquisitions[0], hostAcquisitions[1], remote,
                remote / (double) Math.max(total, 1), this.server.operationsName(), operations,
                this.server.operationsName(), operations / (double) Math.max(total, 1));
        for (String line : stats) {
            String[] fields = line.split(" ");
            System.out.println("COHORT-PROCESS " + String.join(" ", Arrays.copyOf(fields, 6))
                    + "   (host acquisitions remote p50us p99us maxus)");
        }
        for (int host = 0; host < 2; host++) {
            WaitHistogram waits = hostWaits[host];
            System.out.printf("COHORT-HOST %s processes=%d acquisitions=%d share=%.3f remotePerAcquisition=%.3f"
                    + " waitP50us=%d waitP99us=%d waitMaxUs=%d%n", names[host], hostProcesses[host],
                    hostAcquisitions[host], hostAcquisitions[host] / (double) Math.max(total, 1),
                    hostRemote[host] / (double) Math.max(hostAcquisitions[host], 1), waits.percentile(0.50),
                    waits.percentile(0.99), waits.max());
        }
    }
}
