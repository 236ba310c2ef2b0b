package io.hostsync.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Issue 19: a cohort lock over Redis against the plain {@code RedisLockRegistry} (pub/sub mode,
 * its fastest), two simulated hosts (two region directories) with {@code perHost} processes each,
 * all taking one write lock around a short critical section. The score is the acquisitions per
 * second of this process (host A's first); at the end of the trial it prints, for all processes,
 * the acquisitions per host, Redis commands per acquisition (from the server's
 * {@code total_commands_processed}) and each host's wait-time distribution.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class CohortLockBenchmark {

    @Param({ "cohort", "registry" })
    public String lock;

    @Param({ "1", "2", "4" })
    public int perHost;

    private RedisServer redis;

    private final List<Process> partners = new ArrayList<>();

    private final List<Path> hosts = new ArrayList<>();

    private CohortContender contender;

    private long commandsAtStart;

    @Setup(Level.Trial)
    public void start() throws Exception {
        this.redis = RedisServer.start();
        String region = "bench-cohort-" + Long.toHexString(System.nanoTime());
        this.hosts.add(Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-bench-a-"));
        this.hosts.add(Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-bench-b-"));
        this.contender = new CohortContender(this.lock, this.redis.port(), this.hosts.get(0), region);
        for (int i = 1; i < 2 * this.perHost; i++) {
            int host = (i < this.perHost) ? 0 : 1;
            Process partner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), CohortContender.class.getName(),
                    this.lock,
                    String.valueOf(this.redis.port()), this.hosts.get(host).toString(), region, host == 0 ? "A" : "B")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(partner.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IllegalStateException("partner " + i + " did not start");
            }
            this.partners.add(partner);
        }
        this.contender.acquireAndRelease();
        this.contender.reset();
        this.commandsAtStart = commands();
    }

    @Benchmark
    public void acquireAndRelease() {
        this.contender.acquireAndRelease();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        long commands = commands() - this.commandsAtStart;
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
        long total = 0;
        long remote = 0;
        long[] perHostAcquisitions = new long[2];
        for (String line : stats) {
            String[] fields = line.split(" ");
            long acquisitions = Long.parseLong(fields[1]);
            total += acquisitions;
            remote += Long.parseLong(fields[2]);
            perHostAcquisitions[fields[0].equals("A") ? 0 : 1] += acquisitions;
        }
        System.out.printf("%nCOHORT lock=%s perHost=%d acquisitions=%d hostA=%d hostB=%d remoteAcquisitions=%d"
                + " redisCommands=%d commandsPerAcquisition=%.3f%n", this.lock, this.perHost, total,
                perHostAcquisitions[0], perHostAcquisitions[1], remote, commands,
                commands / (double) Math.max(total, 1));
        for (String line : stats) {
            System.out.println("COHORT-PROCESS " + line + "   (host acquisitions remote p50us p99us maxus)");
        }
        this.contender.close();
        this.redis.close();
        for (Path host : this.hosts) {
            try (Stream<Path> files = Files.walk(host)) {
                files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
            }
        }
    }

    private long commands() throws IOException {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", this.redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        try (RedisConnection connection = connections.getConnection()) {
            return Long.parseLong(connection.serverCommands().info("stats").getProperty("total_commands_processed"));
        } finally {
            connections.destroy();
        }
    }
}
