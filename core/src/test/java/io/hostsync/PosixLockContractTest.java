package io.hostsync;

/** The RWLock contract on the {@code posix} backend. */
class PosixLockContractTest extends RWLockContract {

    @Override
    boolean downgradeAdmitsReaders() {
        return false;
    }

    @Override
    Backend backend() {
        return Backend.POSIX;
    }
}
