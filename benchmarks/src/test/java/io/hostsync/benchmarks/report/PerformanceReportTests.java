package io.hostsync.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on a small, made-up JMH result file: ratios and their error bars, goal
 * verdicts (met, missed, within the error bar, not measured), unit conversions, and the
 * document section and charts it writes, rewritten the same when run again.
 */
class PerformanceReportTests {

    @TempDir
    Path directory;

    /** The made-up run: one result per line, in the units JMH would use. */
    private static String results() {
        List<String> results = new ArrayList<>();
        results.add(result("UncontendedBenchmark.hostsyncRead", "avgt", Map.of("backend", "robust"), 12, 0.3, "ns/op"));
        results.add(result("UncontendedBenchmark.rrwlRead", "avgt", Map.of(), 10, 0.2, "ns/op"));
        results.add(
                result("UncontendedBenchmark.hostsyncWrite", "avgt", Map.of("backend", "robust"), 25, 0.5, "ns/op"));
        results.add(result("UncontendedBenchmark.rrwlWrite", "avgt", Map.of(), 10, 0.1, "ns/op"));
        results.add(result("UncontendedBenchmark.redissonRead", "avgt", Map.of(), 600_000, 20_000, "ns/op"));
        // Another unit, as JMH would write it with @OutputTimeUnit(MICROSECONDS): 5 µs.
        results.add(result("UncontendedBenchmark.redissonWrite", "avgt", Map.of(), 5, 0.1, "us/op"));
        results.add(
                result("TwoProcessReadBenchmark.hostsyncRead", "avgt", Map.of("backend", "robust"), 24, 2, "ns/op"));
        results.add(result("HandoffBenchmark.hostsyncWriteHandoffToParked", "sample",
                Map.of("backend", "robust", "placement", "pinned"),
                13.5, 1, "us/op"));
        results.add(result("HandoffBenchmark.rawFutexWakeOfParked", "sample", Map.of("placement", "pinned"), 10, 0.5,
                "us/op"));
        // No free-placement results: goal 4 (free) is not measured.
        results.add(result("MixedBenchmark.hostsync", "thrpt", Map.of("backend", "robust", "participants", "2"), 3, 0.1,
                "ops/us"));
        results.add(result("MixedBenchmark.rrwl", "thrpt", Map.of("participants", "2"), 1.5, 0.05, "ops/us"));
        results.add(result("MixedBenchmark.rrwl", "thrpt", Map.of("participants", "1"), 20, 0.5, "ops/us"));
        results.add(result("GuardedCallBenchmark.guardedRead", "avgt", Map.of(), 67.5, 4, "ns/op"));
        results.add(result("GuardedCallBenchmark.directRead", "avgt", Map.of(), 14.7, 2, "ns/op"));
        // One iteration only: JMH writes the error as "NaN".
        results.add(result("StateBenchmark.sharedCounterIncrement", "avgt", Map.of(), 5, Double.NaN, "ns/op"));
        results.add(result("StateBenchmark.atomicLongIncrement", "avgt", Map.of(), 4.9, Double.NaN, "ns/op"));
        return results.stream().collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }

    private static String result(String shortName, String mode, Map<String, String> params, double score, double error,
            String unit) {
        String paramsJson = params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(p -> "\"" + p.getKey() + "\" : \"" + p.getValue() + "\"")
                .collect(Collectors.joining(", ", "{ ", " }"));
        String percentiles = mode.equals("sample")
                ? ", \"scorePercentiles\" : { \"0.0\" : " + score / 2 + ", \"50.0\" : " + score * 0.9 + ", \"99.0\" : "
                        + score * 3 + " }"
                : "";
        return String.format(Locale.ROOT,
                """
                        {
                          "jmhVersion" : "1.37", "benchmark" : "io.hostsync.benchmarks.%s", "mode" : "%s", "threads" : 1, "forks" : 2,
                          "jdkVersion" : "17.0.15", "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "17.0.15+6",
                          %s
                          "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "%s"%s, "rawData" : [ [ %s ] ] },
                          "secondaryMetrics" : { }
                        }""",
                shortName, mode, params.isEmpty() ? "" : "\"params\" : " + paramsJson + ",", score,
                Double.isNaN(error) ? "\"NaN\"" : Double.toString(error), unit, percentiles, score);
    }

    private Path writeResults() throws IOException {
        Path file = directory.resolve("perf-test.json");
        Files.writeString(file, results());
        return file;
    }

    private PerformanceReport report() throws IOException {
        Path file = writeResults();
        return new PerformanceReport(JmhResults.read(file), Optional.empty(), file);
    }

    private static Goal goal(String number) {
        return Catalogue.GOALS.stream().filter(goal -> goal.number().equals(number)).findFirst().orElseThrow();
    }

    @Test
    void ratioGoalIsMetWhenTheRatioAndItsWholeErrorBarAreUnderTheGoal() throws IOException {
        PerformanceReport.GoalResult read = report().judge(goal("1"));

        assertThat(read.compared().value()).isCloseTo(1.2, within(1e-9));
        // 1.2 × √((0.3/12)² + (0.2/10)²)
        assertThat(read.compared().error()).isCloseTo(1.2 * Math.hypot(0.025, 0.02), within(1e-9));
        assertThat(read.verdict()).isEqualTo(Verdict.MET);
        assertThat(read.measured()).isEqualTo("1.20 ± 0.038× (12.0 ns vs 10.0 ns)");
    }

    @Test
    void ratioGoalIsMissedWhenTheRatioIsOverTheGoal() throws IOException {
        PerformanceReport.GoalResult write = report().judge(goal("2"));

        assertThat(write.compared().value()).isCloseTo(2.5, within(1e-9));
        assertThat(write.verdict()).isEqualTo(Verdict.MISSED);
    }

    @Test
    void absoluteGoalMetWithAnErrorBarReachingPastItIsMetNarrowly() throws IOException {
        PerformanceReport.GoalResult twoReaders = report().judge(goal("3"));

        assertThat(twoReaders.compared().value()).isEqualTo(24);
        assertThat(twoReaders.verdict()).isEqualTo(Verdict.MET_NARROWLY);
    }

    @Test
    void ratioOverTheGoalWithAnErrorBarReachingBackIsMissedNarrowly() throws IOException {
        PerformanceReport.GoalResult handoff = report().judge(goal("4 (pinned)"));

        assertThat(handoff.compared().value()).isCloseTo(1.35, within(1e-9));
        assertThat(handoff.compared().value() - handoff.compared().error()).isLessThan(1.3);
        assertThat(handoff.verdict()).isEqualTo(Verdict.MISSED_NARROWLY);
    }

    @Test
    void goalWithoutItsResultIsNotMeasuredAndSaysWhichResultIsMissing() throws IOException {
        PerformanceReport.GoalResult free = report().judge(goal("4 (free)"));

        assertThat(free.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(free.compared()).isNull();
        assertThat(free.measured()).contains("HandoffBenchmark.hostsyncWriteHandoffToParked")
                .contains("placement=free");
    }

    @Test
    void speedUpGoalDividesTheBaselineByTheMeasuredInTheSameUnit() throws IOException {
        PerformanceReport report = report();

        PerformanceReport.GoalResult read = report.judge(goal("5 (read)"));
        PerformanceReport.GoalResult write = report.judge(goal("5 (write)"));

        assertThat(read.compared().value()).isCloseTo(50_000, within(1e-6));
        assertThat(read.verdict()).isEqualTo(Verdict.MET);
        // 5 µs (JMH's us/op) against 25 ns: 200 times, not 0.2.
        assertThat(write.compared().value()).isCloseTo(200, within(1e-9));
        assertThat(write.verdict()).isEqualTo(Verdict.MISSED);
        assertThat(write.measured()).isEqualTo("200 ± 5.7× faster (25.0 ns vs 5.00 µs)");
    }

    @Test
    void addedTimeGoalIsJudgedOnTheDifferenceWithBothErrorsCombined() throws IOException {
        PerformanceReport.GoalResult guarded = report().judge(goal("8 (read)"));

        assertThat(guarded.compared().value()).isCloseTo(52.8, within(1e-9));
        assertThat(guarded.compared().error()).isCloseTo(Math.hypot(4, 2), within(1e-9));
        assertThat(guarded.verdict()).isEqualTo(Verdict.MET);
    }

    @Test
    void withoutAnErrorBarOnlyTheValueIsJudged() throws IOException {
        PerformanceReport.GoalResult counter = report().judge(goal("6"));

        assertThat(counter.compared().hasError()).isFalse();
        assertThat(counter.verdict()).isEqualTo(Verdict.MET);
        assertThat(counter.measured()).startsWith("1.02× ");
    }

    @Test
    void throughputRowsAreComparedWithTheBaselineOfTheSameGroup() throws IOException {
        List<PerformanceReport.TableRow> rows = report().rows(Catalogue.MIXED);

        PerformanceReport.TableRow hostsync = rows.stream()
                .filter(row -> row.result() != null && row.label().equals("hostsync robust (processes)")).findFirst()
                .orElseThrow();
        assertThat(hostsync.group()).isEqualTo(Map.of("participants", "2"));
        assertThat(hostsync.baseline().score()).isEqualTo(1.5);
        assertThat(hostsync.ratio().value()).isCloseTo(2.0, within(1e-9));
        assertThat(hostsync.difference()).isNull();
        // Groups in numeric order, the baseline first in each; contenders without results still listed.
        assertThat(rows.get(0).group()).isEqualTo(Map.of("participants", "1"));
        assertThat(rows.get(0).isBaseline()).isTrue();
        assertThat(rows).anyMatch(row -> row.result() == null && row.label().equals("Redisson (processes)"));
    }

    @Test
    void mixedRowsAreComparedWithTheBaselineOfTheSameShareOfWrites() throws IOException {
        Path file = directory.resolve("perf-mixed.json");
        Files.writeString(file, List.of(
                result("MixedBenchmark.rrwl", "thrpt", Map.of("participants", "2", "writePercent", "10"), 10, 0.1,
                        "ops/us"),
                result("MixedBenchmark.rrwl", "thrpt", Map.of("participants", "2", "writePercent", "1"), 40, 0.1,
                        "ops/us"),
                result("MixedBenchmark.hostsync", "thrpt",
                        Map.of("backend", "robust", "participants", "2", "writePercent", "10"), 5, 0.1,
                        "ops/us"),
                result("MixedBenchmark.hostsync", "thrpt",
                        Map.of("backend", "robust", "participants", "2", "writePercent", "1"), 20, 0.1,
                        "ops/us"))
                .stream().collect(Collectors.joining(",\n", "[\n", "\n]\n")));

        List<PerformanceReport.TableRow> rows = new PerformanceReport(JmhResults.read(file), Optional.empty(), file)
                .rows(Catalogue.MIXED)
                .stream().filter(row -> row.result() != null && row.label().equals("hostsync robust (processes)"))
                .toList();

        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.ratio().value()).isCloseTo(0.5, within(1e-9)));
        assertThat(rows).extracting(PerformanceReport.TableRow::group).containsExactly(
                Map.of("writePercent", "1", "participants", "2"), Map.of("writePercent", "10", "participants", "2"));
    }

    @Test
    void throughputGoalIsMetWhenTheRateIsAtLeastTheBaselines() throws IOException {
        Path file = directory.resolve("perf-service.json");
        Files.writeString(file, List.of(
                result("ServiceShapeBenchmark.hostsync", "thrpt", Map.of("backend", "robust"), 3, 0.1, "ops/us"),
                result("ServiceShapeBenchmark.rrwl", "thrpt", Map.of(), 4, 0.1, "ops/us")).stream()
                .collect(Collectors.joining(",\n", "[\n", "\n]\n")));

        PerformanceReport.GoalResult service = new PerformanceReport(JmhResults.read(file), Optional.empty(), file)
                .judge(goal("10"));

        assertThat(service.compared().value()).isCloseTo(0.75, within(1e-9));
        assertThat(service.verdict()).isEqualTo(Verdict.MISSED);
    }

    @Test
    void verdictsAtLeastMirrorVerdictsAtMost() {
        assertThat(Verdict.judge(new Estimate(1100, 50), 1000, false)).isEqualTo(Verdict.MET);
        assertThat(Verdict.judge(new Estimate(1020, 50), 1000, false)).isEqualTo(Verdict.MET_NARROWLY);
        assertThat(Verdict.judge(new Estimate(980, 50), 1000, false)).isEqualTo(Verdict.MISSED_NARROWLY);
        assertThat(Verdict.judge(new Estimate(900, 50), 1000, false)).isEqualTo(Verdict.MISSED);
        assertThat(Verdict.judge(new Estimate(Double.NaN, 1), 1000, false)).isEqualTo(Verdict.NOT_MEASURED);
    }

    @Test
    void reportReplacesOnlyItsSectionAndWritesReadableChartsTheSameWhenRunAgain() throws IOException {
        Path results = writeResults();
        Path doc = directory.resolve("docs/performance.md");
        Path images = directory.resolve("docs/images");
        Files.createDirectories(doc.getParent());
        Files.writeString(doc,
                "# Performance\n\nBefore.\n\n<!-- perf:results -->\nold figures\n<!-- /perf:results -->\n\nAfter.\n");

        PerformanceReport.write(results, doc, images, PerformanceReport.DEFAULT_SECTION);
        String first = Files.readString(doc);
        PerformanceReport.write(results, doc, images, PerformanceReport.DEFAULT_SECTION);
        String second = Files.readString(doc);

        assertThat(second).isEqualTo(first);
        assertThat(first).startsWith("# Performance\n\nBefore.\n\n<!-- perf:results -->\n")
                .endsWith("<!-- /perf:results -->\n\nAfter.\n")
                .doesNotContain("old figures")
                .contains(
                        "| 2 | uncontended write lock+unlock ≤ 2× ReentrantReadWriteLock | 2.50 ± 0.056× (25.0 ns vs 10.0 ns) | **missed** |")
                .contains("| 4 (free) |").contains("| not measured |")
                .contains("![Each goal: the measured value as a fraction of the goal](images/perf-goals.png)")
                .contains("no run description beside the results");
        for (String chart : List.of("goals", "locks-uncontended", "locks-two-readers", "locks-handoff", "locks-mixed",
                "state")) {
            BufferedImage image = ImageIO.read(images.resolve("perf-" + chart + ".png").toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).as(chart).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void reportOfAnotherSectionIsAppendedWithItsOwnMarkersAndImageNames() throws IOException {
        Path results = writeResults();
        Path doc = directory.resolve("performance.md");
        Files.writeString(doc, "# Performance\n");

        PerformanceReport.write(results, doc, directory.resolve("images"), "jdk25");

        assertThat(Files.readString(doc)).startsWith("# Performance\n\n<!-- perf:jdk25 -->\n")
                .endsWith("<!-- /perf:jdk25 -->\n").contains("](images/perf-jdk25-goals.png)");
        assertThat(directory.resolve("images/perf-jdk25-goals.png")).isRegularFile();
    }

    @Test
    void documentWithOnlyOneMarkerIsRefusedNamingTheMissingOne() {
        assertThatThrownBy(() -> DocumentSection.replace("<!-- perf:results -->\nno end\n", "results", "new"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no <!-- /perf:results -->");
    }

    @Test
    void missingResultsFileIsRefusedWithTheCommandThatMakesOne() {
        assertThatThrownBy(() -> JmhResults.read(directory.resolve("nothing.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scripts/bench.sh smoke or full");
    }
}
