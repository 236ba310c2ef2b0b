package io.hostsync.containers;

import org.junit.jupiter.api.BeforeAll;

/**
 * Scenario 2 with {@code deploy/compose.shm-volume.yaml}: the containers share {@code /dev/shm}
 * by mounting one tmpfs volume there, each in IPC and PID namespaces of its own.
 */
class SharedStateOverTmpfsVolumeTest extends SharedStateAcrossContainersTest {

    @BeforeAll
    static void start() {
        startContainers("compose.shm-volume.yaml");
    }
}
