package io.hostsync;

/** The lock between real JVMs on the {@code robust} backend. */
class RobustLockAcrossProcessesTest extends LockAcrossProcessesContract {

    @Override
    Backend backend() {
        return Backend.ROBUST;
    }
}
