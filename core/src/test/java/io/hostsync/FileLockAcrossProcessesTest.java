package io.hostsync;

/** The lock between real JVMs on the {@code file} backend. */
class FileLockAcrossProcessesTest extends LockAcrossProcessesContract {

    @Override
    Backend backend() {
        return Backend.FILE;
    }

    @Override
    int perThreadOperations() {
        return 5_000; // every first read of a process is a few system calls, and waits poll
    }
}
