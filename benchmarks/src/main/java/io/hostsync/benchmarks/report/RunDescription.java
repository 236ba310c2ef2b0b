package io.hostsync.benchmarks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What JMH's JSON does not say about a run, written by the suite next to the results
 * ({@code perf-full-jdk17.run.json} beside {@code perf-full-jdk17.json}) and shown by the report.
 *
 * @param mode {@code full} or {@code smoke} (or {@code custom} when run some other way)
 * @param command the command that ran the suite
 * @param commit the commit measured, {@code ef22a96}, with {@code +changes} if the worktree had uncommitted changes
 * @param startedAt when the run started, ISO-8601 UTC
 * @param durationSeconds how long it took
 * @param estimatedSeconds how long the suite said it would take
 * @param cores the processors available to the JVM
 * @param cpu the CPU model ({@code /proc/cpuinfo})
 * @param kernel the kernel release
 * @param memoryBytes the machine's memory
 * @param otherLoadMeanPercent CPU time used by processes other than the suite's, in percent of
 *     the whole machine, averaged over the run; negative if not sampled
 * @param otherLoadMaxPercent the same, the highest sample
 * @param loadSamples how many samples
 */
public record RunDescription(String mode, String command, String commit, String startedAt, long durationSeconds,
        long estimatedSeconds, int cores, String cpu, String kernel, long memoryBytes, double otherLoadMeanPercent,
        double otherLoadMaxPercent, int loadSamples) {

    /**
     * @param results a results file {@code name.json}
     * @return its description file, {@code name.run.json}
     */
    public static Path fileFor(Path results) {
        String name = results.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return results.resolveSibling(base + ".run.json");
    }

    /**
     * Reads the description of a results file, if the suite wrote one.
     *
     * @param results the results file
     * @return the description, or empty
     */
    public static Optional<RunDescription> readFor(Path results) {
        Path file = fileFor(results);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonMapper.shared().readValue(file.toFile(), RunDescription.class));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "Could not read the run description " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes this description beside a results file.
     *
     * @param results the results file
     */
    public void writeFor(Path results) {
        try {
            JsonMapper.builder().enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build()
                    .writeValue(fileFor(results).toFile(), this);
        } catch (JacksonException e) {
            throw new IllegalStateException(
                    "Could not write the run description " + fileFor(results) + ": " + e.getOriginalMessage(), e);
        }
    }
}
