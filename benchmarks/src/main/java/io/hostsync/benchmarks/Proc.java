package io.hostsync.benchmarks;

import io.hostsync.internal.os.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What Linux's {@code /proc} says about another process: where it mapped a file, and whether one
 * of its threads is asleep in the kernel waiting for a lock.
 */
final class Proc {

    private Proc() {
    }

    /**
     * Finds the writable shared mappings of {@code file} (from offset 0) in process {@code pid}.
     *
     * @return each mapping's {@code [start, end)} addresses; empty if the process has not mapped it
     */
    static List<long[]> mappings(long pid, Path file) {
        List<long[]> ranges = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                // 7f1c2a000000-7f1c2a100000 rw-s 00000000 00:1a 1234    /dev/shm/hostsync-bench-...
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length == 6 && fields[5].equals(file.toString()) && fields[1].startsWith("rw")
                        && Long.parseLong(fields[2], 16) == 0) {
                    int dash = fields[0].indexOf('-');
                    ranges.add(new long[] { Long.parseUnsignedLong(fields[0].substring(0, dash), 16),
                            Long.parseUnsignedLong(fields[0].substring(dash + 1), 16) });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the mappings of process " + pid, e);
        }
        return ranges;
    }

    /**
     * Finds the threads of process {@code pid} whose name ({@code /proc/<pid>/task/<tid>/comm},
     * the first 15 characters of a Java thread's name) starts with {@code prefix}.
     *
     * @return their thread ids; empty if none
     */
    static List<Long> threadsNamed(long pid, String prefix) {
        List<Long> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        tids.add(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the threads of process " + pid, e);
        }
        return tids;
    }

    /**
     * The CPU time a thread has used, from the scheduler's own count
     * ({@code /proc/<pid>/task/<tid>/schedstat}, first field: nanoseconds on a CPU), exact where
     * {@code /proc/<pid>/stat} counts 10 ms ticks.
     *
     * @return nanoseconds
     */
    static long cpuNanos(long pid, long tid) {
        try {
            String schedstat = Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/schedstat"));
            return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the CPU time of thread " + tid + " of process " + pid, e);
        }
    }

    /**
     * The CPU time the living threads of a process have used ({@link #cpuNanos} summed over
     * {@code /proc/<pid>/task}): besides the threads one watches, the JVM's own (compiler, GC)
     * and a library's (relays).
     *
     * @return nanoseconds
     */
    static long processCpuNanos(long pid) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    sum += cpuNanos(pid, Long.parseLong(task.getFileName().toString()));
                } catch (UncheckedIOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the threads of process " + pid, e);
        }
        return sum;
    }

    /** {@code SYS_fcntl}: 72 on x86-64, 25 on aarch64. */
    private static final long SYS_FCNTL = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 72;
        case "aarch64" -> 25;
        default -> -1;
    };
    /** {@code fcntl} commands that block until a lock is granted: F_SETLKW (7), F_OFD_SETLKW (38). */
    private static final long F_SETLKW = 7;
    private static final long F_OFD_SETLKW = 38;
    /** {@code futex} commands that sleep: FUTEX_WAIT (0), FUTEX_WAIT_BITSET (9) (glibc's pthread locks). */
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAIT_BITSET = 9;
    /** Flags beside the futex command: FUTEX_PRIVATE_FLAG (128), FUTEX_CLOCK_REALTIME (256). */
    private static final long FUTEX_FLAGS = 128 | 256;

    /**
     * Watches one thread's {@code /proc/<pid>/task/<tid>/syscall} to tell when it is parked: off
     * the CPU, asleep in the kernel in one of the ways a lock's waiter sleeps, namely
     * <ul>
     *   <li>{@code futex} FUTEX_WAIT or FUTEX_WAIT_BITSET on a word inside given address ranges
     *       (the futex words of a lock in a mapped region, or one word of a channel), or</li>
     *   <li>if allowed, a blocking {@code fcntl} lock request (F_SETLKW, F_OFD_SETLKW): how
     *       {@code FileChannel.lock} and OFD lock waiters sleep, or</li>
     *   <li>if allowed, a futex wait on any word: a polling waiter (the {@code file} backend)
     *       asleep in {@code LockSupport.parkNanos} between two looks at the lock.</li>
     * </ul>
     * The kernel answers {@code running} for a thread that is on a CPU, so a positive answer
     * means the thread really sleeps there. The file stays open and is re-read in place, so
     * polling allocates nothing (the benchmark polls between timed invocations, and garbage
     * would bring collections into them).
     */
    static final class ParkWatch implements AutoCloseable {

        private final long pid;
        private final long tid;
        private final long[] rangeStarts;
        private final long[] rangeEnds;
        private final boolean fcntlWait;
        private final boolean anyFutexWait;
        private final FileChannel file;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(512);
        private final byte[] bytes = new byte[512];
        private final long[] fields = new long[3];

        /**
         * @param pid the process
         * @param tid the thread to watch
         * @param futexRanges {@code [start, end)} address ranges, in that process, of the futex
         *     words the thread may sleep on
         * @param fcntlWait whether a blocking fcntl lock request counts as parked
         * @param anyFutexWait whether a futex wait on any word counts (a polling waiter asleep
         *     in {@code LockSupport.parkNanos} between two looks)
         */
        ParkWatch(long pid, long tid, List<long[]> futexRanges, boolean fcntlWait, boolean anyFutexWait) {
            if (futexRanges.isEmpty() && !fcntlWait && !anyFutexWait) {
                throw new IllegalArgumentException(
                        "Nothing to watch for: give futex ranges or allow fcntl or any futex wait");
            }
            if (fcntlWait && SYS_FCNTL < 0) {
                throw new IllegalStateException("Unknown fcntl system call number on " + System.getProperty("os.arch"));
            }
            this.pid = pid;
            this.tid = tid;
            this.rangeStarts = futexRanges.stream().mapToLong(range -> range[0]).toArray();
            this.rangeEnds = futexRanges.stream().mapToLong(range -> range[1]).toArray();
            this.fcntlWait = fcntlWait;
            this.anyFutexWait = anyFutexWait;
            try {
                this.file = FileChannel.open(Path.of("/proc/" + pid + "/task/" + tid + "/syscall"),
                        StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Could not open the system call file of thread " + tid + " of process " + pid, e);
            }
        }

        /** Tells whether the thread is parked, as the class comment says. */
        boolean parked() {
            // "202 0x7f1c2a003008 0x0 0x5 0x7f1c28000b20 0x0 0x0 0x7f... 0x7f...", or "running"
            if (!parseFields(read())) {
                return false;
            }
            long call = fields[0];
            if (call == Native.SYS_FUTEX) {
                long command = fields[2] & ~FUTEX_FLAGS;
                if (command != FUTEX_WAIT && command != FUTEX_WAIT_BITSET) {
                    return false;
                }
                if (anyFutexWait) {
                    return true;
                }
                for (int i = 0; i < rangeStarts.length; i++) {
                    if (Long.compareUnsigned(fields[1], rangeStarts[i]) >= 0
                            && Long.compareUnsigned(fields[1], rangeEnds[i]) < 0) {
                        return true;
                    }
                }
                return false;
            }
            return fcntlWait && call == SYS_FCNTL && (fields[2] == F_SETLKW || fields[2] == F_OFD_SETLKW);
        }

        /** Reads the system call number (decimal) and its first two arguments (hex) into {@link #fields}. */
        private boolean parseFields(int length) {
            int i = 0;
            if (length == 0 || !Character.isDigit(bytes[0])) {
                return false; // "running", or "-1 ..." (not in a system call)
            }
            long call = 0;
            for (; i < length && bytes[i] != ' '; i++) {
                call = call * 10 + (bytes[i] - '0');
            }
            fields[0] = call;
            for (int field = 1; field < fields.length; field++) {
                // " 0x<hex>"
                if (i + 3 >= length || bytes[i + 1] != '0' || bytes[i + 2] != 'x') {
                    return false;
                }
                i += 3;
                long value = 0;
                for (; i < length && bytes[i] != ' ' && bytes[i] != '\n'; i++) {
                    value = (value << 4) | Character.digit(bytes[i], 16);
                }
                fields[field] = value;
            }
            return true;
        }

        private int read() {
            try {
                buffer.clear();
                file.read(buffer, 0); // the whole line at once: it is far shorter than the buffer
                buffer.flip();
                int length = buffer.remaining();
                buffer.get(bytes, 0, length);
                return length;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the system call of thread " + tid + " of process " + pid,
                        e);
            }
        }

        /**
         * Polls until {@link #parked()} holds.
         *
         * @throws IllegalStateException if it does not within {@code timeout}
         */
        void await(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!parked()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "Thread " + tid + " of partner process " + pid + " did not park within "
                                    + timeout + " (expected: futex wait on an address in " + describeRanges()
                                    + (fcntlWait ? ", or a blocking fcntl lock" : "") + "; last seen in /proc: '"
                                    + new String(bytes, 0, Math.max(0, read()), StandardCharsets.US_ASCII).strip()
                                    + "'). If a lock backend waits some other way, teach Proc.ParkWatch about it");
                }
                Thread.onSpinWait();
            }
        }

        private String describeRanges() {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < rangeStarts.length; i++) {
                text.append(i == 0 ? "" : ", ").append(Long.toHexString(rangeStarts[i])).append('-')
                        .append(Long.toHexString(rangeEnds[i]));
            }
            return text.append(']').toString();
        }

        @Override
        public void close() {
            try {
                file.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
