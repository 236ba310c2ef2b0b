package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The counts kept for a lock have limits: read holds per process (24 bits of the holder word),
 * write holds per thread, read acquisitions per slot (40 bits). Reaching a hold limit is an error
 * that changes nothing; an acquisition counter that wraps never makes statistics go backwards.
 */
class LockCountLimitsTest {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /**
     * Before the limit was checked on every path that adds holds, the 16,777,216th reentrant read
     * hold wrapped this process's count to 0, and another process's write tryLock succeeded while
     * every one of those reads was held.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void tooManyReadHoldsFailWithoutChangingTheCountsAndWritersOfOtherProcessesStayOut(Backend backend) {
        RegionOptions options = regions.options("read-holds").backend(backend).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            long taken = 0;
            Error refused = null;
            try {
                for (; taken <= 1L << 24; taken++) {
                    lock.readLock().lock();
                }
            } catch (Error e) {
                refused = e;
            }
            try {
                assertThat(refused).as("an error before the 24-bit count wraps").isNotNull();
                assertThat(refused.getMessage()).contains("Maximum read lock count (" + RWLock.MAX_READ_HOLDS + ")",
                        "'default'", options.name());
                assertThat(taken).isEqualTo(RWLock.MAX_READ_HOLDS);
                assertThat(lock.getReadHoldCount()).isEqualTo(RWLock.MAX_READ_HOLDS);
                assertThat(lock.processStatistics().readHolds()).isEqualTo(RWLock.MAX_READ_HOLDS);
                assertThatThrownBy(() -> lock.readLock().tryLock()).isInstanceOf(Error.class);
                assertThat(lock.hostStatistics().readHolds()).isEqualTo(RWLock.MAX_READ_HOLDS);
                try (JvmProcess writer = JvmProcess.start(List.of(), TryWriteProbe.class,
                        options.directory().toString(), options.name(), backend.configName())) {
                    assertThat(writer.expect("TRIED", Duration.ofSeconds(60)))
                            .as("another process's write tryLock while this one holds reads")
                            .isEqualTo("TRIED acquired=false");
                }
            } finally {
                for (long i = 0; i < taken; i++) {
                    lock.readLock().unlock();
                }
            }
            assertThat(lock.hostStatistics().readHolds()).isZero();
        }
    }

    @Test
    void tooManyWriteHoldsOfOneThreadFailWithoutChangingTheCount() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("write-holds").build())) {
            RWLock lock = region.lock();
            lock.writeLock().lock();
            Field holds = RWLock.class.getDeclaredField("writeHolds");
            holds.setAccessible(true);
            holds.setInt(lock, Integer.MAX_VALUE); // as after 2^31 - 1 reentrant write locks
            assertThatThrownBy(() -> lock.writeLock().lock()).isInstanceOf(Error.class)
                    .hasMessageContaining("Maximum write lock count (2147483647)");
            assertThatThrownBy(() -> lock.writeLock().tryLock()).isInstanceOf(Error.class);
            assertThat(lock.getWriteHoldCount()).isEqualTo(Integer.MAX_VALUE);
            holds.setInt(lock, 1);
            lock.writeLock().unlock();
            assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
        }
    }

    /**
     * The 40-bit read acquisition counter of a slot is set 5 short of its wrap in the region's
     * mapping (as after hours of reads); 10 more reads must raise the figures by 10.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void statisticsKeepGrowingWhenTheReadAcquisitionCounterWraps(Backend backend) {
        try (SharedRegion region = SharedRegion.open(regions.options("acquisitions").backend(backend).build())) {
            int holder = RegionLayout.holderOffset(region.header(), region.slot(), 0);
            long nearWrap = (1L << 40) - 5;
            LONGS.setVolatile(region.buffer(), holder, nearWrap << 24);
            RWLock lock = region.lock(); // its process figures start from here
            assertThat(lock.hostStatistics().readAcquisitions()).isEqualTo(nearWrap);
            for (int i = 0; i < 10; i++) {
                lock.readLock().lock();
                lock.readLock().unlock();
                assertThat(lock.hostStatistics().readAcquisitions()).isEqualTo(nearWrap + i + 1);
                assertThat(lock.processStatistics().readAcquisitions()).isEqualTo(i + 1);
            }
            assertThat((long) LONGS.getVolatile(region.buffer(), holder) >>> 24).as("the stored counter wrapped")
                    .isEqualTo(5);
        }
    }
}
