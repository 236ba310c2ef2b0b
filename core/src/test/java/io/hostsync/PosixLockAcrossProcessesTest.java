package io.hostsync;

/** The lock between real JVMs on the {@code posix} backend. */
class PosixLockAcrossProcessesTest extends LockAcrossProcessesContract {

    @Override
    Backend backend() {
        return Backend.POSIX;
    }

    @Override
    boolean readersNeverStarve() {
        return false;
    }
}
