package io.hostsync.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples, every few seconds while the suite runs, how much of the machine's CPU time went to
 * processes that are not the suite's (the suite's JVM and every descendant: JMH forks, partner
 * JVMs, redis-server). On a two-core machine another busy process takes a core from the
 * multi-process benchmarks, so the report says how busy the machine was.
 *
 * <p>From {@code /proc/stat} (all CPUs: busy and total jiffies) and {@code /proc/<pid>/stat} of
 * the suite's processes (user and system time, with that of their children already reaped).
 */
final class LoadMonitor implements AutoCloseable {

    private static final long INTERVAL_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final Thread thread;
    private final List<Double> samples = new ArrayList<>();
    private volatile boolean stopped;

    private LoadMonitor() {
        thread = new Thread(this::run, "load-monitor");
        thread.setDaemon(true);
    }

    /** @return a running monitor */
    static LoadMonitor start() {
        LoadMonitor monitor = new LoadMonitor();
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        long[] previous = machine();
        long previousOurs = ours();
        while (!stopped) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long[] now = machine();
            long nowOurs = ours();
            if (previous != null && now != null) {
                long total = now[1] - previous[1];
                long otherBusy = (now[0] - previous[0]) - (nowOurs - previousOurs);
                if (total > 0) {
                    synchronized (samples) {
                        samples.add(100.0 * Math.max(0, otherBusy) / total);
                    }
                }
            }
            previous = now;
            previousOurs = nowOurs;
        }
    }

    /** @return {busy, total} jiffies of all CPUs, or null off Linux */
    private static long[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            String[] fields = line.trim().split("\\s+");
            long user = Long.parseLong(fields[1]);
            long nice = Long.parseLong(fields[2]);
            long system = Long.parseLong(fields[3]);
            long idle = Long.parseLong(fields[4]);
            long iowait = Long.parseLong(fields[5]);
            long irq = Long.parseLong(fields[6]);
            long softirq = Long.parseLong(fields[7]);
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            long busy = user + nice + system + irq + softirq;
            return new long[] { busy, busy + idle + iowait + steal };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return user + system jiffies of this process and its descendants, living or reaped */
    private static long ours() {
        long sum = jiffies(ProcessHandle.current().pid());
        for (ProcessHandle descendant : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
            sum += jiffies(descendant.pid());
        }
        return sum;
    }

    private static long jiffies(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // pid (comm) state ppid ... field 14 utime, 15 stime, 16 cutime, 17 cstime; comm may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0; // exited meanwhile: its time shows in its parent's reaped-children figures
        }
    }

    /** @return the samples so far, in percent of the machine */
    List<Double> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
