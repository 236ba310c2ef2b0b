package io.hostsync;

import java.time.Instant;

/**
 * A live process that has a region open.
 *
 * @param slot the process slot it holds, from 0
 * @param generation how many times the slot has been claimed, including this claim; together
 *     with the slot it identifies the participant across PID namespaces
 * @param pid its process id as it sees itself (in a container, often 1)
 * @param since when it claimed the slot
 * @param host its host name (in a container, the container's host name)
 * @param pidNamespace the inode of its PID namespace ({@code /proc/self/ns/pid}), 0 if unknown;
 *     participants with equal pids in different namespaces are different processes
 * @param self whether it is the process that asked
 */
public record Participant(int slot, long generation, long pid, Instant since, String host, long pidNamespace,
        boolean self) {
}
