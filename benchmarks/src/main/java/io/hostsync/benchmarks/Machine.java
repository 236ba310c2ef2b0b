package io.hostsync.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the report says about the machine: from the JVM and {@code /proc}. */
final class Machine {

    private Machine() {
    }

    /** @return the processors this JVM may use */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** @return the {@code model name} of {@code /proc/cpuinfo}, or the JVM's os.arch */
    static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** @return the kernel release */
    static String kernel() {
        return System.getProperty("os.version");
    }

    /** @return {@code MemTotal} of {@code /proc/meminfo}, in bytes, or 0 */
    static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return 0;
    }
}
