/**
 * The performance report: JMH's JSON results (and the description of the run that produced
 * them) in, the results section of docs/performance.md and its PNG charts out. Every figure is
 * shown as a ratio to its baseline from the same run, with error bars, and every goal is
 * judged met or missed. Rerunnable from saved results without running JMH again:
 * {@code scripts/bench.sh report}.
 */
package io.hostsync.benchmarks.report;
