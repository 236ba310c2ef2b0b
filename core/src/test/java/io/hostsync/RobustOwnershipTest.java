package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.testing.TestRegions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A robust writer's release clears the owner field only if it still names its own slot and
 * generation: a lock taken over by another process (which found this one's slot dead) is never
 * released from under its new owner.
 */
class RobustOwnershipTest {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /**
     * The state word is rewritten through the region's mapping, as another process does when it
     * recovers a lock whose owner it found dead. Before the check, unlock cleared that process's
     * ownership and let a third writer in.
     */
    @Test
    void releasingAWriteLockTakenOverByAnotherProcessLeavesItsOwnerInPlaceAndSaysSo() {
        try (SharedRegion region = SharedRegion.open(regions.options("taken-over").backend(Backend.ROBUST).build())) {
            RWLock lock = region.lock();
            ByteBuffer buffer = region.buffer();
            int state = RegionLayout.lockRecordOffset(region.header(), 0);
            lock.writeLock().lock();
            long otherOwner = (region.slot() + 2) | (7L << 32); // slot + 1 of another slot, generation 7
            LONGS.setVolatile(buffer, state, otherOwner);
            assertThatThrownBy(() -> lock.writeLock().unlock()).isInstanceOf(HostsyncException.class)
                    .hasMessageContaining("was taken from this process while one of its threads held it")
                    .hasMessageContaining(region.file().toString());
            assertThat((long) LONGS.getVolatile(buffer, state)).as("the new owner's state word").isEqualTo(otherOwner);
            assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
            LONGS.setVolatile(buffer, state, 0L); // the other owner lets go
            assertThat(lock.writeLock().tryLock()).isTrue();
            lock.writeLock().unlock();
        }
    }
}
