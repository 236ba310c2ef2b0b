package io.hostsync;

/** SIGKILL at random moments on the {@code robust} backend, which claims crash safety. */
class RobustKillTest extends KillContract {

    @Override
    Backend backend() {
        return Backend.ROBUST;
    }

    @Override
    int killsPerPhase() {
        return 25;
    }
}
