package io.hostsync.internal.os;

/** OFD locks through the region's own descriptor: owned by its open file description, converted atomically. */
public final class OfdLocks implements ByteLocks {
    private final int fd;
    private final Object subject;

    /**
     * Byte locks owned by {@code fd}'s open file description.
     *
     * @param fd the region's descriptor, which the region closes
     * @param subject the file, for error messages
     */
    public OfdLocks(int fd, Object subject) {
        this.fd = fd;
        this.subject = subject;
    }

    @Override
    public boolean tryLock(long offset, boolean shared) {
        return Native.trySetOfdLock(fd, shared ? Native.F_RDLCK : Native.F_WRLCK, offset, 1, subject);
    }

    @Override
    public void unlock(long offset) {
        Native.trySetOfdLock(fd, Native.F_UNLCK, offset, 1, subject);
    }

    @Override
    public boolean heldByOthers(long offset) {
        return Native.isLockedByOther(fd, offset, 1, subject);
    }

    @Override
    public void downgrade(long offset) {
        if (!tryLock(offset, true)) {
            throw new IllegalStateException("converting an exclusive OFD lock to shared cannot conflict");
        }
    }

    @Override
    public void close() {
        // the region closes the descriptor
    }
}
