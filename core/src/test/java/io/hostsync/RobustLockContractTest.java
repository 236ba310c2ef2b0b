package io.hostsync;

/** The RWLock contract on the {@code robust} backend. */
class RobustLockContractTest extends RWLockContract {

    @Override
    boolean waitingWriterOwnsTheLock() {
        return true;
    }

    @Override
    Backend backend() {
        return Backend.ROBUST;
    }
}
