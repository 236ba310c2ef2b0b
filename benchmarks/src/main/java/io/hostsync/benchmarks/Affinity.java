package io.hostsync.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins single threads to CPUs with {@code taskset -p -c <cpu> <tid>} (util-linux), so that a
 * two-process benchmark can put its two threads on two different CPUs and take the
 * scheduler's placement out of what it measures.
 */
final class Affinity {

    private Affinity() {
    }

    /** @return the Linux thread id of the calling thread */
    static long currentTid() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>".
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read /proc/thread-self", e);
        }
    }

    /**
     * Returns the CPUs this process may run on, from {@code Cpus_allowed_list} in
     * {@code /proc/self/status} (for example {@code 0-3,8}).
     *
     * @return the CPU numbers, ascending
     */
    static List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    List<Integer> cpus = new ArrayList<>();
                    for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                        String[] ends = range.split("-");
                        int first = Integer.parseInt(ends[0]);
                        int last = ends.length == 1 ? first : Integer.parseInt(ends[1]);
                        for (int cpu = first; cpu <= last; cpu++) {
                            cpus.add(cpu);
                        }
                    }
                    return cpus;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read /proc/self/status", e);
        }
        throw new IllegalStateException("No Cpus_allowed_list in /proc/self/status");
    }

    /**
     * Pins one thread (of any process) to one CPU.
     *
     * @param tid the Linux thread id
     * @param cpu the CPU
     * @throws IllegalStateException if taskset is missing or fails
     */
    static void pin(long tid, int cpu) {
        List<String> command = List.of("taskset", "-p", "-c", Integer.toString(cpu), Long.toString(tid));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command) + " (is util-linux installed?"
                    + " Otherwise run with -p placement=free)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Applies a placement to this thread and a partner thread.
     *
     * @param placement {@code pinned}: this thread on the first allowed CPU, the partner's on the
     *     second; {@code free}: leave both to the scheduler
     * @param partnerTid the partner's working thread
     */
    static void place(String placement, long partnerTid) {
        switch (placement) {
            case "free" -> {
                // the scheduler decides, handoff by handoff
            }
            case "pinned" -> {
                List<Integer> cpus = allowedCpus();
                if (cpus.size() < 2) {
                    throw new IllegalStateException("placement=pinned needs two CPUs; this process may use " + cpus);
                }
                pin(currentTid(), cpus.get(0));
                pin(partnerTid, cpus.get(1));
            }
            default -> throw new IllegalArgumentException("Unknown placement " + placement + ": use pinned or free");
        }
    }
}
