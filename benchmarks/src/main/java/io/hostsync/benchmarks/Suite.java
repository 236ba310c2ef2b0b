package io.hostsync.benchmarks;

import io.hostsync.benchmarks.report.PerformanceReport;
import io.hostsync.benchmarks.report.RunDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The whole benchmark suite in one command: checks what it needs (redis-server, taskset,
 * /dev/shm), says how long it will take, runs JMH, writes JMH's JSON results and a description of
 * the run (JDK, machine, command, duration, how busy the machine was), then the report
 * ({@link PerformanceReport}: docs/performance.md's results section and its charts).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hostsync.benchmarks.Suite full|smoke
 *     [--results FILE] [--doc docs/performance.md] [--images docs/images] [--section results] [--dry-run]
 *     [JMH options...]
 * </pre>
 * {@code full} uses each benchmark's own settings (its annotations); {@code smoke} runs
 * everything once, briefly (1 fork, 1 warm-up and 3 measured iterations of 0.5 s), to check that
 * everything works, in a few minutes. JMH options ({@code -e redisson}, {@code -p backend=robust},
 * a regular expression of benchmarks to run...) are passed on; those given win over the mode's.
 * Results go to {@code benchmarks/results/perf-<mode>-jdk<N>.json} unless {@code --results} says otherwise.
 * {@code --dry-run} prints the plan (every benchmark, its runs and estimated time) and stops.
 */
public final class Suite {

    /** Every benchmark of the module. */
    static final String ALL = "io\\.hostsync\\.benchmarks\\..*Benchmark";
    /** Seconds each fork spends besides its iterations (JVM start, setup, partner JVMs, teardown), measured here. */
    private static final double FORK_OVERHEAD_SECONDS = 3;
    /**
     * Seconds of one single-shot iteration with its setup ({@code RecoveryBenchmark}: a holder JVM
     * started, 8 waiters parked, a random pause, the kill), measured here.
     */
    private static final double SINGLE_SHOT_ITERATION_SECONDS = 1.2;

    private Suite() {
    }

    /**
     * Runs the suite.
     *
     * @param args the mode, the suite's options, JMH's options
     * @throws Exception if JMH cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("full") || args[0].equals("smoke"))) {
            System.err.println(
                    "Usage: Suite full|smoke [--results FILE] [--doc FILE] [--images DIR] [--section NAME] [JMH options]");
            System.exit(2);
        }
        String mode = args[0];
        Path results = null;
        Path doc = Path.of("docs/performance.md");
        Path images = Path.of("docs/images");
        String section = PerformanceReport.DEFAULT_SECTION;
        boolean dryRun = false;
        List<String> jmhArguments = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(value(args, ++i));
                case "--doc" -> doc = Path.of(value(args, ++i));
                case "--images" -> images = Path.of(value(args, ++i));
                case "--section" -> section = value(args, ++i);
                case "--dry-run" -> dryRun = true;
                default -> jmhArguments.add(args[i]);
            }
        }
        if (results == null) {
            results = Path.of("benchmarks/results", "perf-" + mode + "-jdk" + Runtime.version().feature() + ".json");
        }
        Files.createDirectories(results.toAbsolutePath().getParent());

        CommandLineOptions given;
        try {
            given = new CommandLineOptions(jmhArguments.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("Bad JMH option: " + e.getMessage());
            System.exit(2);
            return;
        }
        Options options = options(mode, given, results);
        SortedSet<BenchmarkListEntry> plan = BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), options.getIncludes(),
                        options.getExcludes());
        if (plan.isEmpty()) {
            System.err.println(
                    "No benchmark matches " + options.getIncludes() + " (excluding " + options.getExcludes() + ")");
            System.exit(2);
        }
        long runs = 0;
        long estimatedSeconds = 0;
        for (BenchmarkListEntry entry : plan) {
            long combinations = combinations(entry, options);
            runs += combinations;
            estimatedSeconds += Math.round(combinations * seconds(entry, options));
            if (dryRun) {
                System.out.printf("%-70s %3d run(s) %8s%n", entry.getUsername().replace("io.hostsync.benchmarks.", ""),
                        combinations,
                        minutes(Math.round(combinations * seconds(entry, options))));
            }
        }
        String command = System.getProperty("hostsync.bench.command",
                "java -cp benchmarks/target/benchmarks.jar " + Suite.class.getName() + " " + String.join(" ", args));
        System.out.printf("hostsync benchmark suite, mode %s: %d benchmark runs (%d methods), estimated %s.%n", mode,
                runs,
                plan.size(), minutes(estimatedSeconds));
        System.out.println("Results: " + results + " (JMH JSON), then the report: section '" + section + "' of " + doc
                + ", charts in " + images);
        if (dryRun) {
            return;
        }
        checkPrerequisites(plan, options);

        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String commit = commit(); // now, as built: edits made while the suite runs are not what it measures
        long startNanos = System.nanoTime();
        Collection<RunResult> ran;
        List<Double> load;
        try (LoadMonitor monitor = LoadMonitor.start()) {
            try {
                ran = new Runner(options).run();
            } catch (RunnerException e) {
                System.err.println("JMH failed: " + e.getMessage());
                throw e;
            }
            load = monitor.samples();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);

        new RunDescription(mode, command, commit, started.toString(), seconds, estimatedSeconds, Machine.cores(),
                Machine.cpu(),
                Machine.kernel(), Machine.memoryBytes(),
                load.stream().mapToDouble(Double::doubleValue).average().orElse(-1),
                load.stream().mapToDouble(Double::doubleValue).max().orElse(-1), load.size()).writeFor(results);
        PerformanceReport.write(results, doc, images, section);

        Set<String> planned = new TreeSet<>();
        plan.forEach(entry -> planned.add(entry.getUsername()));
        ran.forEach(result -> planned.remove(result.getParams().getBenchmark()));
        System.out.println();
        System.out.printf("The suite took %s (estimated %s).%n", minutes(seconds), minutes(estimatedSeconds));
        if (!planned.isEmpty()) {
            System.err.println("No result for " + planned.size()
                    + " benchmark(s), shown as not measured in the report; their errors"
                    + " are in the output above: " + String.join(", ", planned));
            System.exit(1);
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("Option " + args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** The mode's settings, under whatever JMH options were given. */
    static Options options(String mode, CommandLineOptions given, Path results) {
        ChainedOptionsBuilder builder = new OptionsBuilder().parent(given);
        if (given.getIncludes().isEmpty()) {
            builder.include(ALL);
        }
        if (mode.equals("smoke")) {
            if (!given.getForkCount().hasValue()) {
                builder.forks(1);
            }
            if (!given.getWarmupIterations().hasValue()) {
                builder.warmupIterations(1);
            }
            if (!given.getWarmupTime().hasValue()) {
                builder.warmupTime(TimeValue.milliseconds(500));
            }
            if (!given.getMeasurementIterations().hasValue()) {
                builder.measurementIterations(3);
            }
            if (!given.getMeasurementTime().hasValue()) {
                builder.measurementTime(TimeValue.milliseconds(500));
            }
        }
        if (!given.getJvm().hasValue() && Runtime.version().feature() >= 22) {
            // jffi loads a JNI library: a restricted method from Java 22 on. Forks run this JVM's java.
            List<String> append = new ArrayList<>(given.getJvmArgsAppend().orElse(List.of()));
            append.add("--enable-native-access=ALL-UNNAMED");
            builder.jvmArgsAppend(append.toArray(String[]::new));
        }
        return builder.resultFormat(ResultFormatType.JSON).result(results.toString()).build();
    }

    /** Fails early, with the fix, if the plan needs something the machine lacks. */
    private static void checkPrerequisites(SortedSet<BenchmarkListEntry> plan, Options options) {
        if (!Files.isDirectory(Path.of("/dev/shm"))) {
            fail("There is no /dev/shm: the benchmarks need Linux with a tmpfs at /dev/shm");
        }
        if (plan.stream().anyMatch(entry -> entry.getUsername().toLowerCase().contains("redisson")
                || values(entry, options, "engine").contains("redis"))) {
            try {
                RedisServer.executable();
            } catch (IllegalStateException e) {
                fail(e.getMessage());
            }
        }
        if (plan.stream().anyMatch(entry -> values(entry, options, "engine").contains("jdbc"))) {
            try {
                PostgresServer.bin(); // CohortLockBenchmark's engine=jdbc starts its own PostgreSQL
            } catch (IllegalStateException e) {
                fail(e.getMessage());
            }
        }
        boolean pinned = plan.stream().anyMatch(entry -> values(entry, options, "placement").contains("pinned"));
        if (pinned && !onPath("taskset")) {
            fail("taskset is not on the PATH, and placement=pinned needs it: install util-linux, or run with -p placement=free");
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(directory.isEmpty() ? "." : directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(BenchmarkListEntry entry, Options options, String param) {
        if (options.getParameter(param).hasValue()) {
            return List.copyOf(options.getParameter(param).get());
        }
        Map<String, String[]> params = entry.getParams().orElse(Map.of());
        return params.containsKey(param) ? Arrays.asList(params.get(param)) : List.of();
    }

    /** @return how many parameter combinations JMH will run of one method */
    private static long combinations(BenchmarkListEntry entry, Options options) {
        long combinations = 1;
        for (String param : entry.getParams().orElse(Map.of()).keySet()) {
            combinations *= Math.max(1, values(entry, options, param).size());
        }
        return combinations;
    }

    /** @return the estimated seconds of one parameter combination: its forks, each with its iterations */
    private static double seconds(BenchmarkListEntry entry, Options options) {
        int forks = options.getForkCount().orElse(entry.getForks().orElse(5));
        int warmups = options.getWarmupIterations().orElse(entry.getWarmupIterations().orElse(5));
        TimeValue warmup = options.getWarmupTime().orElse(entry.getWarmupTime().orElse(TimeValue.seconds(10)));
        int measurements = options.getMeasurementIterations().orElse(entry.getMeasurementIterations().orElse(5));
        TimeValue measurement = options.getMeasurementTime()
                .orElse(entry.getMeasurementTime().orElse(TimeValue.seconds(10)));
        double iterations = entry.getMode() == Mode.SingleShotTime
                // one invocation per iteration, whatever the iteration time says
                ? (warmups + measurements) * SINGLE_SHOT_ITERATION_SECONDS
                : warmups * warmup.convertTo(TimeUnit.MILLISECONDS) / 1000.0
                        + measurements * measurement.convertTo(TimeUnit.MILLISECONDS) / 1000.0;
        return Math.max(1, forks) * (iterations + FORK_OVERHEAD_SECONDS);
    }

    private static String minutes(long seconds) {
        return Duration.ofSeconds(seconds).toMinutes() + " min " + (seconds % 60) + " s";
    }

    /** @return the short commit of the working directory, {@code +changes} if it has uncommitted changes, or {@code unknown} */
    private static String commit() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            return run("git", "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + " +changes";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        try {
            return process.waitFor() == 0 ? output : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
