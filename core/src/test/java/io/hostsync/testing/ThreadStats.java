package io.hostsync.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What the kernel counts for some threads of another process, from {@code /proc/PID/task/TID}:
 * their CPU time ({@code schedstat}, in nanoseconds: exact, where the process's CPU time counts
 * 10 ms ticks) and how often they went to sleep ({@code voluntary_ctxt_switches}). For the tests
 * that measure what blocked waiters cost.
 */
public final class ThreadStats {

    private ThreadStats() {
    }

    /**
     * Nanoseconds on the CPU so far of the threads of {@code pid} whose names {@code counted}
     * accepts.
     *
     * @param pid the process
     * @param counted which thread names to count (the kernel truncates them to 15 characters)
     * @return their total CPU time so far
     */
    public static long cpuNanos(long pid, Predicate<String> counted) {
        return sum(pid, counted, task -> Long.parseLong(read(task.resolve("schedstat")).split(" ")[0]));
    }

    /**
     * Voluntary context switches so far (each one a sleep: a futex wait, a park, a blocking call)
     * of the threads of {@code pid} whose names {@code counted} accepts.
     *
     * @param pid the process
     * @param counted which thread names to count (the kernel truncates them to 15 characters)
     * @return how often they went to sleep so far
     */
    public static long sleeps(long pid, Predicate<String> counted) {
        return sum(pid, counted, task -> {
            for (String line : read(task.resolve("status")).split("\n")) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            throw new AssertionError("No voluntary_ctxt_switches in " + task.resolve("status"));
        });
    }

    /**
     * The threads that wait in the waiting tests ({@code reader-*}, {@code writer-*},
     * {@code acquirer-*}) and the hostsync threads that work for them (liveness checkers, relays),
     * not the region's watchdog, which runs whether anyone waits or not.
     *
     * @param name a thread's name
     * @return whether it counts as waiting
     */
    public static boolean waitingOrWorkingForWaiters(String name) {
        return name.startsWith("reader-") || name.startsWith("writer-") || name.startsWith("acquirer-")
                || name.startsWith("hostsync-") && !name.startsWith("hostsync-watchd");
    }

    /** A thread that ended meanwhile is skipped: its counts no longer matter either way. */
    private static long sum(long pid, Predicate<String> counted, ToLongFunction<Path> count) {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (counted.test(Files.readString(task.resolve("comm")).trim())) {
                        total += count.applyAsLong(task);
                    }
                } catch (NoSuchFileException | ThreadEnded e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("Cannot read the threads of process " + pid, e);
        }
        return total;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ThreadEnded();
        } catch (IOException e) {
            throw new AssertionError("Cannot read " + file, e);
        }
    }

    /** The thread whose file was being read has ended. */
    private static final class ThreadEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThreadEnded() {
            super(null, null, false, false);
        }
    }
}
