package io.hostsync.benchmarks.report;

import io.hostsync.benchmarks.report.Catalogue.Chart;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns one run's JMH results into the results section of docs/performance.md (between
 * {@code <!-- perf:results -->} and {@code <!-- /perf:results -->}) and its charts
 * ({@code docs/images/perf-*.png}). It only reads the results file (and the run description
 * beside it), so it can be run again at any time without running JMH:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hostsync.benchmarks.report.PerformanceReport \
 *     benchmarks/results/perf-full-jdk17.json [--doc docs/performance.md] [--images docs/images] [--section results]
 * </pre>
 */
public final class PerformanceReport {

    /** The section name when none is given: the main results of docs/performance.md. */
    public static final String DEFAULT_SECTION = "results";

    private static final Color MET = new Color(0x2ca02c);
    private static final Color MET_NARROWLY = new Color(0x98df8a);
    private static final Color MISSED_NARROWLY = new Color(0xff9e4a);
    private static final Color MISSED = new Color(0xd62728);
    private static final Color NOT_MEASURED = new Color(0xaaaaaa);

    private final JmhResults results;
    private final Optional<RunDescription> run;
    private final Path resultsFile;

    /**
     * @param results the run's results
     * @param run what the suite recorded about the run, if anything
     * @param resultsFile where the results were read from, for the report to cite
     */
    public PerformanceReport(JmhResults results, Optional<RunDescription> run, Path resultsFile) {
        this.results = results;
        this.run = run;
        this.resultsFile = resultsFile;
    }

    /**
     * Writes the report from a results file.
     *
     * @param args the results file, then optionally {@code --doc <file>}, {@code --images <directory>},
     *     {@code --section <name>}
     */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println(
                    "Usage: PerformanceReport <results.json> [--doc docs/performance.md] [--images docs/images]"
                            + " [--section results]");
            System.exit(2);
        }
        Path resultsFile = Path.of(args[0]);
        Path doc = Path.of("docs/performance.md");
        Path images = Path.of("docs/images");
        String section = DEFAULT_SECTION;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--doc" -> doc = Path.of(args[i + 1]);
                case "--images" -> images = Path.of(args[i + 1]);
                case "--section" -> section = args[i + 1];
                default -> throw new IllegalArgumentException(
                        "Unknown option " + args[i] + ": use --doc, --images or --section");
            }
        }
        write(resultsFile, doc, images, section);
    }

    /**
     * Reads a results file (and its run description) and writes the report.
     *
     * @param resultsFile JMH's JSON
     * @param doc the markdown document to update
     * @param images the directory of the charts
     * @param section the section of the document, see {@link DocumentSection}
     * @return the goals, judged
     */
    public static List<GoalResult> write(Path resultsFile, Path doc, Path images, String section) {
        PerformanceReport report = new PerformanceReport(JmhResults.read(resultsFile),
                RunDescription.readFor(resultsFile), resultsFile);
        List<GoalResult> goals = report.judge();
        String markdown = report.markdown(goals, doc, images, section);
        report.drawCharts(goals, images, section);
        DocumentSection.replace(doc, section, markdown);
        System.out.println(
                "Wrote section '" + section + "' of " + doc + " and its charts in " + images + " from " + resultsFile);
        for (GoalResult goal : goals) {
            System.out.println("  goal " + goal.goal().number() + ": " + goal.verdict().text().replace("*", "") + " ("
                    + goal.measured() + ")");
        }
        return goals;
    }

    // ---------------------------------------------------------------- goals

    /**
     * A goal, judged.
     *
     * @param goal the goal
     * @param compared the value compared with the threshold (a ratio, a speed-up, nanoseconds), or null
     * @param verdict met or not
     * @param measured what was measured, in words: {@code 1.23 ± 0.06× (13.9 vs 11.3 ns)}
     */
    public record GoalResult(Goal goal, Estimate compared, Verdict verdict, String measured) {

        /** @return the compared value as a fraction of the goal: at most 1 when met */
        Estimate normalised() {
            if (compared == null) {
                return null;
            }
            return goal.kind().atMost() ? compared.dividedBy(goal.threshold())
                    : compared.inverse().dividedBy(1 / goal.threshold());
        }
    }

    /** @return every goal of the {@link Catalogue}, judged on these results */
    public List<GoalResult> judge() {
        return Catalogue.GOALS.stream().map(this::judge).toList();
    }

    /**
     * Judges one goal.
     *
     * @param goal the goal
     * @return its verdict and what was measured
     */
    public GoalResult judge(Goal goal) {
        Optional<BenchmarkResult> measured = results.find(goal.measured(), goal.measuredParams());
        Optional<BenchmarkResult> baseline = goal.baseline() == null ? Optional.empty()
                : results.find(goal.baseline(), goal.baselineParams());
        if (measured.isEmpty() || (goal.baseline() != null && baseline.isEmpty())) {
            List<String> missing = new ArrayList<>();
            if (measured.isEmpty()) {
                missing.add(describe(goal.measured(), goal.measuredParams()));
            }
            if (goal.baseline() != null && baseline.isEmpty()) {
                missing.add(describe(goal.baseline(), goal.baselineParams()));
            }
            return new GoalResult(goal, null, Verdict.NOT_MEASURED, "no result for " + String.join(" nor ", missing));
        }
        Estimate value = base(measured.get());
        boolean throughput = measured.get().higherIsBetter();
        Estimate compared;
        String text;
        switch (goal.kind()) {
            case RATIO_AT_MOST, RATIO_AT_LEAST -> {
                Estimate reference = base(baseline.get());
                compared = Estimate.ratio(value, reference);
                text = Format.ratio(compared) + " (" + Format.quantity(value.value(), throughput) + " vs "
                        + Format.quantity(reference.value(), throughput) + ")";
            }
            case SPEEDUP_AT_LEAST -> {
                Estimate reference = base(baseline.get());
                compared = Estimate.ratio(reference, value);
                text = Format.ratio(compared) + " faster (" + Format.quantity(value.value(), throughput) + " vs "
                        + Format.quantity(reference.value(), throughput) + ")";
            }
            case NANOS_AT_MOST -> {
                compared = value;
                text = Format.measurement(value, throughput);
            }
            case ADDED_NANOS_AT_MOST -> {
                Estimate reference = base(baseline.get());
                compared = Estimate.difference(value, reference);
                text = Format.difference(compared) + " (" + Format.quantity(value.value(), throughput) + " vs "
                        + Format.quantity(reference.value(), throughput) + ")";
            }
            default -> throw new IllegalStateException("unknown goal kind " + goal.kind());
        }
        return new GoalResult(goal, compared, Verdict.judge(compared, goal.threshold(), goal.kind().atMost()), text);
    }

    private static String describe(String method, Map<String, String> params) {
        return params.isEmpty() ? method
                : method + " " + params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    private static Estimate base(BenchmarkResult result) {
        return Format.toBase(result.estimate(), result.unit());
    }

    // ---------------------------------------------------------------- tables

    /**
     * One row of a scenario's table.
     *
     * @param label the contender, {@code hostsync robust}
     * @param group the group's parameters ({@code placement=pinned}), empty if the scenario has no groups
     * @param result the result, or {@code null} if the run has none for this row
     * @param baseline the baseline result of the same group, or {@code null}
     * @param ratio {@code result / baseline}, or {@code null}
     * @param difference {@code result - baseline} in nanoseconds (times only), or {@code null}
     */
    public record TableRow(String label, Map<String, String> group, BenchmarkResult result, BenchmarkResult baseline,
            Estimate ratio, Estimate difference) {

        /** @return whether this row is the baseline itself */
        public boolean isBaseline() {
            return result != null && result == baseline;
        }
    }

    /**
     * The rows of a scenario's table: every result of its methods, in the scenario's order, each
     * with its group's baseline. A method without any result gets one row with no result, so
     * that what was not measured shows.
     *
     * @param scenario the scenario
     * @return its rows, grouped by the scenario's group parameters
     */
    public List<TableRow> rows(Scenario scenario) {
        List<BenchmarkResult> baselines = results.of(scenario.shortName(scenario.baselineMethod()));
        Set<Map<String, String>> groups = new LinkedHashSet<>();
        for (Scenario.Row row : scenario.rows()) {
            for (BenchmarkResult result : results.of(scenario.shortName(row.method()))) {
                groups.add(group(scenario, result));
            }
        }
        if (groups.isEmpty()) {
            groups.add(Map.of());
        }
        List<TableRow> rows = new ArrayList<>();
        for (Map<String, String> group : sortGroups(groups)) {
            BenchmarkResult baseline = baselines.stream().filter(result -> group(scenario, result).equals(group))
                    .findFirst().orElse(null);
            for (Scenario.Row row : scenario.rows()) {
                List<BenchmarkResult> matching = results.of(scenario.shortName(row.method())).stream()
                        .filter(result -> group(scenario, result).equals(group)).toList();
                if (matching.isEmpty()) {
                    rows.add(new TableRow(label(row.label(), Map.of(), scenario), group, null, baseline, null, null));
                }
                for (BenchmarkResult result : matching) {
                    Estimate ratio = null;
                    Estimate difference = null;
                    if (baseline != null) {
                        ratio = Estimate.ratio(base(result), base(baseline));
                        if (!result.higherIsBetter()) {
                            difference = Estimate.difference(base(result), base(baseline));
                        }
                    }
                    rows.add(new TableRow(label(row.label(), result.params(), scenario), group, result, baseline, ratio,
                            difference));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> group(Scenario scenario, BenchmarkResult result) {
        Map<String, String> group = new LinkedHashMap<>();
        for (String name : scenario.groupBy()) {
            String value = result.params().get(name);
            if (value != null) {
                group.put(name, value);
            }
        }
        return group;
    }

    /** Numeric group values (participants) in numeric order, others as they came. */
    private static List<Map<String, String>> sortGroups(Set<Map<String, String>> groups) {
        List<Map<String, String>> sorted = new ArrayList<>(groups);
        sorted.sort((a, b) -> {
            for (String key : a.keySet()) {
                String x = a.get(key);
                String y = b.getOrDefault(key, "");
                if (x.matches("\\d+") && y.matches("\\d+")) {
                    int order = Integer.compare(Integer.parseInt(x), Integer.parseInt(y));
                    if (order != 0) {
                        return order;
                    }
                }
            }
            return 0;
        });
        return sorted;
    }

    /** {@code hostsync {backend}} with backend=robust: {@code hostsync robust}; other non-group parameters appended. */
    private static String label(String template, Map<String, String> params, Scenario scenario) {
        String label = template;
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, String> param : new java.util.TreeMap<>(params).entrySet()) {
            String placeholder = "{" + param.getKey() + "}";
            if (label.contains(placeholder)) {
                label = label.replace(placeholder, param.getValue());
            } else if (!scenario.groupBy().contains(param.getKey())) {
                extra.add(param.getKey() + "=" + param.getValue());
            }
        }
        label = label.replaceAll(" ?\\{[a-z]+\\}", "");
        return extra.isEmpty() ? label : label + " (" + String.join(", ", extra) + ")";
    }

    private static String groupLabel(Map<String, String> group) {
        return group.entrySet().stream().map(entry -> switch (entry.getKey()) {
            case "participants" -> entry.getValue() + (entry.getValue().equals("1") ? " participant" : " participants");
            case "placement" -> entry.getValue();
            case "writePercent" -> entry.getValue() + " % writes";
            default -> entry.getKey() + "=" + entry.getValue();
        }).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- markdown

    /**
     * The section's markdown.
     *
     * @param goals the judged goals
     * @param doc the document it goes into (image links are relative to it)
     * @param images the directory of the charts
     * @param section the section's name
     * @return the markdown, without the section markers
     */
    public String markdown(List<GoalResult> goals, Path doc, Path images, String section) {
        StringBuilder md = new StringBuilder();
        md.append("<!-- Generated from ").append(resultsFile.toString().replace('\\', '/'))
                .append(" by io.hostsync.benchmarks.report.PerformanceReport; edits here are overwritten."
                        + " `scripts/bench.sh report <results.json>` writes it again. -->\n\n");
        String mode = run.map(RunDescription::mode).orElse("unknown");
        if (!mode.equals("full")) {
            md.append("> **").append(mode.equals("smoke") ? "Smoke run" : "Not a full run (mode: " + mode + ")")
                    .append("**: one short fork per benchmark, to check that everything runs. Its figures are not"
                            + " results; the goals below are judged on them only to show how the report reads."
                            + " `scripts/bench.sh full` on a quiet machine gives the figures to quote.\n\n");
        }
        run.filter(r -> r.otherLoadMeanPercent() >= 5)
                .ifPresent(r -> md.append("> **Busy machine**: other processes used ")
                        .append(Format.significant(r.otherLoadMeanPercent(), 2))
                        .append(" % of the machine's CPU time on average (at most ")
                        .append(Format.significant(r.otherLoadMaxPercent(), 2))
                        .append(" %) during this run. Figures, the multi-process ones above all, are unreliable.\n\n"));

        md.append("#### The run\n\n");
        md.append("| | |\n|---|---|\n");
        run.ifPresent(r -> {
            md.append("| mode | ").append(r.mode()).append(" |\n");
            md.append("| command | `").append(r.command()).append("` |\n");
            md.append("| code | commit `").append(r.commit()).append("` |\n");
            md.append("| started | ").append(r.startedAt()).append(", took ").append(minutes(r.durationSeconds()))
                    .append(" (estimated ").append(minutes(r.estimatedSeconds())).append(") |\n");
        });
        md.append("| JDK | ").append(jdks()).append(" |\n");
        run.ifPresent(r -> {
            md.append("| machine | ").append(r.cores()).append(" cores (").append(r.cpu()).append("), Linux ")
                    .append(r.kernel())
                    .append(", ").append(Math.round(r.memoryBytes() / (1024.0 * 1024 * 1024))).append(" GiB |\n");
            md.append("| other load | ").append(r.loadSamples() == 0 ? "not sampled"
                    : "mean " + Format.significant(r.otherLoadMeanPercent(), 2) + " %, highest "
                            + Format.significant(r.otherLoadMaxPercent(), 2)
                            + " % of the machine's CPU time used by other"
                            + " processes (" + r.loadSamples() + " samples)")
                    .append(" |\n");
        });
        if (run.isEmpty()) {
            md.append("| run | no run description beside the results ("
                    + RunDescription.fileFor(resultsFile).getFileName()
                    + "): mode, command, machine unknown |\n");
        }
        md.append("| results | `").append(resultsFile.toString().replace('\\', '/')).append("` (JMH JSON) |\n\n");
        md.append("± is JMH's 99.9 % confidence half-width over all measured iterations of all forks; a ratio's error"
                + " combines both relative errors in quadrature. A verdict \"within the error bar\" means the bar"
                + " reaches across the goal. Goals are judged on hostsync's default backend, `robust`.\n\n");

        md.append("#### Goals\n\n");
        md.append("| # | goal | measured | verdict |\n|---|---|---|---|\n");
        for (GoalResult goal : goals) {
            md.append("| ").append(goal.goal().number()).append(" | ").append(goal.goal().text()).append(" | ")
                    .append(goal.measured()).append(" | ").append(goal.verdict().text()).append(" |\n");
        }
        long met = goals.stream().filter(goal -> goal.verdict().met()).count();
        long missed = goals.stream()
                .filter(goal -> goal.verdict() == Verdict.MISSED || goal.verdict() == Verdict.MISSED_NARROWLY).count();
        long unmeasured = goals.stream().filter(goal -> goal.verdict() == Verdict.NOT_MEASURED).count();
        md.append("\n").append(met).append(" met, ").append(missed).append(" missed");
        if (unmeasured > 0) {
            md.append(", ").append(unmeasured).append(" not measured");
        }
        md.append(".\n\n");
        md.append(image(doc, images, section, "goals", "Each goal: the measured value as a fraction of the goal"));

        for (Scenario scenario : Catalogue.SCENARIOS) {
            md.append(table(scenario));
            for (Chart chart : Catalogue.CHARTS) {
                if (chart.scenarios().get(chart.scenarios().size() - 1) == scenario) {
                    md.append(image(doc, images, section, chart.file(), chart.title()));
                }
            }
            if (scenario == Catalogue.STATE_CHART.get(Catalogue.STATE_CHART.size() - 1)) {
                md.append(image(doc, images, section, "state",
                        "Shared state and annotated calls against their baselines"));
            }
        }
        return md.toString();
    }

    private String table(Scenario scenario) {
        List<TableRow> rows = rows(scenario);
        boolean throughput = rows.stream().anyMatch(row -> row.result() != null && row.result().higherIsBetter());
        String baselineLabel = scenario.rows().stream().filter(row -> row.method().equals(scenario.baselineMethod()))
                .map(Scenario.Row::label).findFirst().orElse(scenario.baselineMethod());
        StringBuilder md = new StringBuilder();
        md.append("#### ").append(scenario.title()).append("\n\n").append(scenario.description()).append("\n\n");
        boolean grouped = !scenario.groupBy().isEmpty();
        md.append("| ").append(grouped ? String.join(", ", scenario.groupBy()) + " | " : "").append("contender | ")
                .append(throughput ? "throughput" : "time per operation")
                .append(" | ").append(throughput ? "throughput" : "time").append(" vs ").append(baselineLabel)
                .append(" |");
        if (scenario.showDifference()) {
            md.append(" difference |");
        }
        if (scenario.showPercentiles()) {
            md.append(" median | 99th percentile |");
        }
        md.append("\n|").append(grouped ? "---|" : "").append("---|---:|---:|");
        if (scenario.showDifference()) {
            md.append("---:|");
        }
        if (scenario.showPercentiles()) {
            md.append("---:|---:|");
        }
        md.append("\n");
        for (TableRow row : rows) {
            md.append("| ");
            if (grouped) {
                md.append(groupLabel(row.group())).append(" | ");
            }
            md.append(row.isBaseline() ? "**" + row.label() + "** (baseline)" : row.label()).append(" | ");
            if (row.result() == null) {
                md.append("not measured | |");
                if (scenario.showDifference()) {
                    md.append(" |");
                }
                if (scenario.showPercentiles()) {
                    md.append(" | |");
                }
                md.append("\n");
                continue;
            }
            md.append(Format.measurement(base(row.result()), row.result().higherIsBetter())).append(" | ");
            md.append(row.isBaseline() ? "1" : row.ratio() == null ? "no baseline" : Format.ratio(row.ratio()))
                    .append(" |");
            if (scenario.showDifference()) {
                md.append(" ")
                        .append(row.isBaseline() || row.difference() == null ? "" : Format.difference(row.difference()))
                        .append(" |");
            }
            if (scenario.showPercentiles()) {
                double factor = Format.toBase(row.result().unit());
                md.append(" ").append(Format.quantity(row.result().percentile(50.0) * factor, false)).append(" | ")
                        .append(Format.quantity(row.result().percentile(99.0) * factor, false)).append(" |");
            }
            md.append("\n");
        }
        return md.append("\n").toString();
    }

    private static String image(Path doc, Path images, String section, String chart, String alt) {
        Path file = images.resolve(imageName(section, chart));
        Path parent = doc.toAbsolutePath().getParent();
        String link = parent.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
        return "![" + alt + "](" + link + ")\n\n";
    }

    /** @return {@code perf-goals.png} for the default section, {@code perf-jdk25-goals.png} for section jdk25 */
    static String imageName(String section, String chart) {
        return "perf-" + (section.equals(DEFAULT_SECTION) ? "" : section + "-") + chart + ".png";
    }

    private String jdks() {
        Set<String> jdks = new TreeSet<>();
        for (BenchmarkResult result : results.all()) {
            jdks.add(result.vm() + " (Java " + result.jdkVersion() + ")");
        }
        return jdks.isEmpty() ? "unknown" : String.join("; ", jdks);
    }

    private static String minutes(long seconds) {
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
    }

    // ---------------------------------------------------------------- charts

    /**
     * Draws every chart.
     *
     * @param goals the judged goals
     * @param images the directory
     * @param section the section, for the file names
     */
    public void drawCharts(List<GoalResult> goals, Path images, String section) {
        List<String> footer = footer();
        String suffix = run.map(RunDescription::mode).filter(mode -> !mode.equals("full"))
                .map(mode -> " — " + mode + " run, not results")
                .orElse("");
        goalsChart(goals, footer, suffix).write(images.resolve(imageName(section, "goals")));
        for (Chart chart : Catalogue.CHARTS) {
            contenderChart(chart, footer, suffix).write(images.resolve(imageName(section, chart.file())));
        }
        stateChart(footer, suffix).write(images.resolve(imageName(section, "state")));
    }

    private List<String> footer() {
        List<String> lines = new ArrayList<>();
        String machine = run.map(r -> r.cores() + " cores, " + r.cpu() + ", Linux " + r.kernel())
                .orElse("machine unknown");
        lines.add("JDK: " + jdks() + " · " + machine);
        lines.add(run
                .map(r -> "command: " + r.command() + " · commit " + r.commit() + " · " + r.startedAt() + " · mode "
                        + r.mode())
                .orElse("results: " + resultsFile) + " · error bars: JMH 99.9 % confidence");
        return lines;
    }

    private BarChart goalsChart(List<GoalResult> goals, List<String> footer, String suffix) {
        List<BarChart.Category> categories = new ArrayList<>();
        for (GoalResult goal : goals) {
            Estimate normalised = goal.normalised();
            Color color = switch (goal.verdict()) {
                case MET -> MET;
                case MET_NARROWLY -> MET_NARROWLY;
                case MISSED_NARROWLY -> MISSED_NARROWLY;
                case MISSED -> MISSED;
                case NOT_MEASURED -> NOT_MEASURED;
            };
            String note = goal.verdict() == Verdict.NOT_MEASURED ? "not measured"
                    : goal.measured().replaceAll(" \\(.*", "") + " → " + goal.verdict().text().replace("*", "");
            categories.add(new BarChart.Category(goal.goal().number() + ": " + goal.goal().label(), List.of(
                    new BarChart.Bar("", normalised == null ? Double.NaN : normalised.value(),
                            normalised == null ? Double.NaN : normalised.error(), note, color))));
        }
        return new BarChart("Goals: measured value as a fraction of the goal (≤ 1 is met)" + suffix,
                "measured / goal (for \"at least\" goals: goal / measured), logarithmic", true, categories,
                List.of(new BarChart.LegendEntry("met", MET),
                        new BarChart.LegendEntry("met, within the error bar", MET_NARROWLY),
                        new BarChart.LegendEntry("missed, within the error bar", MISSED_NARROWLY),
                        new BarChart.LegendEntry("missed", MISSED),
                        new BarChart.LegendEntry("not measured", NOT_MEASURED)),
                footer, 1.0, "goal", Format::compact);
    }

    private BarChart contenderChart(Chart chart, List<String> footer, String suffix) {
        Map<String, List<BarChart.Bar>> byContender = new LinkedHashMap<>();
        List<String> series = new ArrayList<>();
        boolean throughput = false;
        for (int i = 0; i < chart.scenarios().size(); i++) {
            Scenario scenario = chart.scenarios().get(i);
            String prefix = chart.seriesNames().get(i);
            for (TableRow row : rows(scenario)) {
                String name = (prefix + " " + groupLabel(row.group())).strip();
                if (!series.contains(name)) {
                    series.add(name);
                }
                List<BarChart.Bar> bars = byContender.computeIfAbsent(row.label(), label -> new ArrayList<>());
                if (row.result() == null) {
                    bars.add(new BarChart.Bar(name, Double.NaN, Double.NaN, "not measured", null));
                    continue;
                }
                throughput = row.result().higherIsBetter();
                Estimate value = base(row.result());
                String note = Format.measurement(value, throughput)
                        + (row.isBaseline() ? " · baseline"
                                : row.ratio() == null ? "" : " · " + Format.ratio(row.ratio()));
                bars.add(new BarChart.Bar(name, value.value(), value.error(), note, null));
            }
        }
        List<BarChart.LegendEntry> legend = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            legend.add(new BarChart.LegendEntry(series.get(i).isEmpty() ? "score" : series.get(i),
                    BarChart.PALETTE.get(i % BarChart.PALETTE.size())));
        }
        if (series.size() == 1 && series.get(0).isEmpty()) {
            legend = List.of();
        }
        List<BarChart.Category> categories = byContender.entrySet().stream()
                .map(entry -> new BarChart.Category(entry.getKey(), entry.getValue())).toList();
        boolean isThroughput = throughput;
        String axis = (isThroughput ? "operations per second" : "time per operation")
                + (chart.logarithmic() ? ", logarithmic" : "") + "; ratios to the baseline of the same run";
        return new BarChart(chart.title() + suffix, axis, chart.logarithmic(), categories, legend, footer, Double.NaN,
                "",
                value -> Format.tick(value, isThroughput));
    }

    private BarChart stateChart(List<String> footer, String suffix) {
        Color baselineColor = BarChart.PALETTE.get(5);
        Color hostsyncColor = BarChart.PALETTE.get(0);
        List<BarChart.Category> categories = new ArrayList<>();
        for (Scenario scenario : Catalogue.STATE_CHART) {
            List<BarChart.Bar> bars = new ArrayList<>();
            for (TableRow row : rows(scenario)) {
                String series = row.isBaseline() ? "baseline" : "hostsync";
                if (row.result() == null) {
                    bars.add(new BarChart.Bar(series, Double.NaN, Double.NaN, row.label() + ": not measured", null));
                    continue;
                }
                Estimate value = base(row.result());
                String comparison = row.isBaseline() ? ""
                        : scenario.showDifference() && row.difference() != null
                                ? " · " + Format.difference(row.difference())
                                : row.ratio() == null ? "" : " · " + Format.ratio(row.ratio());
                bars.add(new BarChart.Bar(series, value.value(), value.error(),
                        row.label() + ": " + Format.measurement(value, false) + comparison, null));
            }
            categories.add(new BarChart.Category(scenario.title(), bars));
        }
        return new BarChart("Shared state and annotated calls against their baselines (lower is better)" + suffix,
                "time per operation, logarithmic", true, categories,
                List.of(new BarChart.LegendEntry("baseline", baselineColor),
                        new BarChart.LegendEntry("hostsync", hostsyncColor)),
                footer, Double.NaN, "", value -> Format.tick(value, false));
    }
}
