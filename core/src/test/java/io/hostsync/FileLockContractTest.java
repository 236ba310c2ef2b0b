package io.hostsync;

/** The RWLock contract on the {@code file} backend. */
class FileLockContractTest extends RWLockContract {

    @Override
    Backend backend() {
        return Backend.FILE;
    }
}
