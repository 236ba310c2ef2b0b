package io.hostsync.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who this process is, as recorded in its process slot: its pid as it sees itself, its PID
 * namespace and its host name. Read once; none of them change while a JVM runs.
 *
 * @param pid the pid in this process's own PID namespace (1 for a container's main process)
 * @param pidNamespace the inode of {@code /proc/self/ns/pid}, 0 if it cannot be read
 * @param host the host name ({@code /proc/sys/kernel/hostname}), "unknown" if it cannot be read
 */
public record ProcessIdentity(long pid, long pidNamespace, String host) {

    private static final ProcessIdentity CURRENT = new ProcessIdentity(ProcessHandle.current().pid(),
            readPidNamespace(), readHostName());

    /**
     * Returns this process's identity.
     *
     * @return the identity, read when the class was loaded
     */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    private static long readPidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(); // "pid:[4026531836]"
            return Long.parseLong(link.replaceAll("[^0-9]", ""));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String readHostName() {
        // Not InetAddress.getLocalHost(): it may wait on DNS, which a container without a network lacks.
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String fromEnvironment = System.getenv("HOSTNAME");
        return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown" : fromEnvironment;
    }
}
