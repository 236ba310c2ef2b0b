package io.hostsync;

/** SIGKILL at random moments on the {@code file} backend, which claims crash safety. */
class FileKillTest extends KillContract {

    @Override
    Backend backend() {
        return Backend.FILE;
    }

    @Override
    int killsPerPhase() {
        return 10;
    }
}
