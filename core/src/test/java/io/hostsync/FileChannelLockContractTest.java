package io.hostsync;

import io.hostsync.internal.os.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The RWLock contract on the {@code file} backend with {@link java.nio.channels.FileChannel}
 * locks, the path used off Linux, forced here on Linux.
 */
class FileChannelLockContractTest extends RWLockContract {

    @Override
    Backend backend() {
        return Backend.FILE;
    }

    @BeforeEach
    @Override
    void open() {
        System.setProperty(Platform.CHANNEL_LOCKS_PROPERTY, "true");
        super.open();
    }

    @AfterEach
    void forgetChannelLocks() {
        System.clearProperty(Platform.CHANNEL_LOCKS_PROPERTY);
    }
}
