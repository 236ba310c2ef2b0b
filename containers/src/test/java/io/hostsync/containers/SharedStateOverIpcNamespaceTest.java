package io.hostsync.containers;

import org.junit.jupiter.api.BeforeAll;

/**
 * Scenario 2 with {@code deploy/compose.yaml}: the containers share {@code /dev/shm} by joining
 * one IPC namespace ({@code ipc: shareable}, {@code ipc: "service:orders-1"}).
 */
class SharedStateOverIpcNamespaceTest extends SharedStateAcrossContainersTest {

    @BeforeAll
    static void start() {
        startContainers("compose.yaml");
    }
}
