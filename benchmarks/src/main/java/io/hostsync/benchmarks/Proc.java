package io.hostsync.benchmarks;

import io.hostsync.internal.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What Linux's {@code /proc} says about another process: where it mapped a file, and whether one
 * of its threads is asleep in the kernel in {@code FUTEX_WAIT} on a given word.
 */
final class Proc {

    private Proc() {
    }

    /**
     * Finds the start addresses of the writable shared mappings of {@code file} (from offset 0)
     * in process {@code pid}.
     *
     * @return the addresses; empty if the process has not mapped it
     */
    static List<Long> mappings(long pid, Path file) {
        List<Long> bases = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                // 7f1c2a000000-7f1c2a100000 rw-s 00000000 00:1a 1234    /dev/shm/hostsync-bench-...
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length == 6 && fields[5].equals(file.toString()) && fields[1].startsWith("rw")
                        && Long.parseLong(fields[2], 16) == 0) {
                    bases.add(Long.parseUnsignedLong(fields[0].substring(0, fields[0].indexOf('-')), 16));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the mappings of process " + pid, e);
        }
        return bases;
    }

    /**
     * Watches one thread's {@code /proc/<pid>/task/<tid>/syscall} to tell when it sleeps in
     * {@code FUTEX_WAIT} on one of a few words. The file stays open and is re-read in place, so
     * polling allocates nothing (the benchmark polls between timed invocations, and garbage
     * would bring collections into them).
     */
    static final class FutexSleepWatch implements AutoCloseable {

        private final long pid;
        private final long tid;
        private final long[] addresses;
        private final FileChannel file;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(512);
        private final byte[] bytes = new byte[512];
        private final byte[] futexPrefix;

        FutexSleepWatch(long pid, long tid, List<Long> addresses) {
            this.pid = pid;
            this.tid = tid;
            this.addresses = addresses.stream().mapToLong(Long::longValue).toArray();
            this.futexPrefix = (Native.SYS_FUTEX + " 0x").getBytes(StandardCharsets.US_ASCII);
            try {
                this.file = FileChannel.open(Path.of("/proc/" + pid + "/task/" + tid + "/syscall"), StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not open the system call file of thread " + tid + " of process " + pid, e);
            }
        }

        /**
         * Tells whether the thread is off the CPU, blocked in the futex system call (operation
         * FUTEX_WAIT) on one of the words. The kernel answers {@code running} for a thread that
         * is on a CPU, so a positive answer means the thread really sleeps there.
         */
        boolean sleeps() {
            int length = read();
            // "202 0x7f1c2a003008 0x0 0x5 0x7f1c28000b20 0x0 0x0 0x7f... 0x7f...", or "running"
            if (length < futexPrefix.length) {
                return false;
            }
            for (int i = 0; i < futexPrefix.length; i++) {
                if (bytes[i] != futexPrefix[i]) {
                    return false;
                }
            }
            int i = futexPrefix.length;
            long address = 0;
            for (; i < length && bytes[i] != ' '; i++) {
                address = (address << 4) | Character.digit(bytes[i], 16);
            }
            // The operation: FUTEX_WAIT is 0.
            if (i + 4 >= length || bytes[i + 1] != '0' || bytes[i + 2] != 'x' || bytes[i + 3] != '0' || bytes[i + 4] != ' ') {
                return false;
            }
            for (long candidate : addresses) {
                if (candidate == address) {
                    return true;
                }
            }
            return false;
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
                throw new UncheckedIOException("Could not read the system call of thread " + tid + " of process " + pid, e);
            }
        }

        /**
         * Polls until {@link #sleeps()} holds.
         *
         * @throws IllegalStateException if it does not within {@code timeout}
         */
        void await(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!sleeps()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Thread " + tid + " of partner process " + pid + " did not sleep on futex "
                            + java.util.Arrays.stream(addresses).mapToObj(Long::toHexString).toList() + " within " + timeout);
                }
                Thread.onSpinWait();
            }
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
