package io.hostsync.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The CPU time of some threads of another process, from the kernel's per-thread
 * {@code /proc/PID/task/TID/schedstat} (nanoseconds on the CPU): exact, where the process's CPU
 * time counts 10 ms ticks. For the tests that measure what blocked waiters cost.
 */
public final class ThreadCpu {

    private ThreadCpu() {
    }

    /**
     * Nanoseconds on the CPU so far of the threads of {@code pid} whose names {@code counted}
     * accepts. The kernel truncates thread names to 15 characters. A thread that ended meanwhile
     * is skipped.
     *
     * @param pid the process
     * @param counted which thread names to count
     * @return their total CPU time so far
     */
    public static long nanos(long pid, Predicate<String> counted) {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (counted.test(Files.readString(task.resolve("comm")).trim())) {
                        total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    }
                } catch (NoSuchFileException e) {
                    // ended meanwhile: its time no longer counts either way
                }
            }
        } catch (IOException e) {
            throw new AssertionError("Cannot read the threads of process " + pid, e);
        }
        return total;
    }

    /**
     * The threads that wait in the waiting tests ({@code reader-*}, {@code writer-*},
     * {@code acquirer-*}) and the hostsync threads that work for them (liveness checkers, relays),
     * not the region's watchdog, which runs whether anyone waits or not.
     *
     * @param name a thread's name
     * @return whether its time counts as waiting's
     */
    public static boolean waitingOrWorkingForWaiters(String name) {
        return name.startsWith("reader-") || name.startsWith("writer-") || name.startsWith("acquirer-")
                || name.startsWith("hostsync-") && !name.startsWith("hostsync-watchd");
    }
}
