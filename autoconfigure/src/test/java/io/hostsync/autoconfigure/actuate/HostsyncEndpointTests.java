package io.hostsync.autoconfigure.actuate;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.actuate.HostsyncEndpoint.KeyedLockDescriptor;
import io.hostsync.autoconfigure.actuate.HostsyncEndpoint.LockDescriptor;
import io.hostsync.autoconfigure.actuate.HostsyncEndpoint.MapDescriptor;
import io.hostsync.autoconfigure.actuate.HostsyncEndpoint.RegionDescriptor;
import io.hostsync.autoconfigure.testing.OtherProcess;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncEndpoint}.
 */
class HostsyncEndpointTests {

    @TempDir
    Path directory;

    private SharedRegion region;

    private HostsyncEndpoint endpoint;

    @BeforeEach
    void openRegion() {
        this.region = SharedRegion
                .open(RegionOptions.builder("endpoint-" + UUID.randomUUID().toString().substring(0, 8))
                        .directory(this.directory)
                        .build());
        this.endpoint = new HostsyncEndpoint(List.of(this.region));
    }

    @AfterEach
    void closeRegion() {
        this.region.close();
    }

    @Test
    void everyRegionIsDescribedWithItsFileUsageAndHeader() {
        RegionDescriptor described = this.endpoint.regions().regions().get(this.region.name());
        assertThat(described.file()).isEqualTo(this.region.file().toString());
        assertThat(described.size()).isEqualTo(this.region.size());
        assertThat(described.used()).isEqualTo(this.region.usedBytes());
        assertThat(described.created()).isEqualTo(this.region.header().created().toString());
        assertThat(described.layoutVersion()).isEqualTo(this.region.header().layoutVersion());
        assertThat(described.slotCapacity()).isEqualTo(this.region.header().slotCapacity());
        assertThat(described.slot()).isEqualTo(this.region.slot());
    }

    @Test
    void everySharedMapIsListedWithItsSizeCapacityAndRecoveries() {
        SharedMap<String, String> prices = this.region.state()
                .map("prices", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(500, 24));
        prices.put("EURUSD", "1.08");
        prices.put("GBPUSD", "1.27");
        RegionDescriptor described = this.endpoint.region(this.region.name());
        assertThat(described.maps()).containsOnlyKeys("prices");
        MapDescriptor map = described.maps().get("prices");
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.capacity()).isEqualTo(500);
        assertThat(map.averageEntryBytes()).isEqualTo(24);
        assertThat(map.segments()).isOne();
        assertThat(map.recoveries()).isZero();
    }

    @Test
    void participantsAreListedWithTheirPidHostAndSlot() {
        assertThat(this.endpoint.region(this.region.name()).participants()).singleElement().satisfies((participant) -> {
            assertThat(participant.slot()).isEqualTo(this.region.slot());
            assertThat(participant.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(participant.host()).isNotBlank();
            assertThat(participant.since()).isNotBlank();
            assertThat(participant.self()).isTrue();
        });
    }

    @Test
    void everyLockIsListedWithHostAndProcessStatistics() {
        RWLock lock = this.region.lock("cache-rebuild");
        lock.readLock().lock();
        lock.readLock().unlock();
        RegionDescriptor described = this.endpoint.region(this.region.name());
        assertThat(described.locks()).containsOnlyKeys("default", "cache-rebuild");
        LockDescriptor cache = described.locks().get("cache-rebuild");
        assertThat(cache.possiblyTorn()).isFalse();
        assertThat(cache.host().readAcquisitions()).isOne();
        assertThat(cache.process().readAcquisitions()).isOne();
        assertThat(cache.host().writerSlot()).isEqualTo(-1);
        assertThat(cache.holders()).isEmpty();
    }

    @Test
    void holdersAndWaitersAreListedWithThePidOfTheirProcess() throws Exception {
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "write")) {
            LockDescriptor lock = this.endpoint.region(this.region.name()).locks().get("default");
            assertThat(lock.holders()).singleElement().satisfies((holder) -> {
                assertThat(holder.pid()).isEqualTo(other.pid());
                assertThat(holder.writer()).isTrue();
                assertThat(holder.writeAcquisitions()).isOne();
            });
            assertThat(lock.host().writerSlot()).isEqualTo(lock.holders().get(0).slot());
            assertThat(lock.process().writerSlot()).as("the writer is another process").isEqualTo(-1);
            assertThat(lock.process().writeAcquisitions()).isZero();
            assertThat(this.endpoint.region(this.region.name()).participants()).hasSize(2);
            other.release();
        }
    }

    @Test
    void keyedLocksInUseAreListedByFamilyAndKeyWithTheirHolders() {
        RWLock order = this.region.lock("orders", 42);
        RWLock document = this.region.lock("documents", "x".repeat(200));
        order.writeLock().lock();
        document.readLock().lock();
        try {
            RegionDescriptor described = this.endpoint.region(this.region.name());
            assertThat(described.locks()).containsOnlyKeys("default");
            assertThat(described.keyedLocks()).extracting(KeyedLockDescriptor::name)
                    .containsExactlyInAnyOrder("orders['42']", document.name());
            KeyedLockDescriptor byOrder = described.keyedLocks()
                    .stream()
                    .filter((keyed) -> keyed.family().equals("orders"))
                    .findFirst()
                    .orElseThrow();
            assertThat(byOrder.key()).isEqualTo("'42'");
            assertThat(byOrder.digest()).isFalse();
            assertThat(byOrder.pins()).isOne();
            assertThat(byOrder.writerSlot()).isEqualTo(this.region.slot());
            assertThat(byOrder.holders()).singleElement().satisfies((holder) -> {
                assertThat(holder.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(holder.writer()).isTrue();
            });
            KeyedLockDescriptor byDocument = described.keyedLocks()
                    .stream()
                    .filter((keyed) -> keyed.family().equals("documents"))
                    .findFirst()
                    .orElseThrow();
            assertThat(byDocument.digest()).isTrue();
            assertThat(byDocument.key()).startsWith("sha-256:");
            assertThat(byDocument.holders()).singleElement()
                    .satisfies((holder) -> assertThat(holder.readHolds()).isOne());
        } finally {
            document.readLock().unlock();
            order.writeLock().unlock();
        }
    }

    @Test
    void anUnknownRegionIsNotFound() {
        assertThat(this.endpoint.region("no-such-region")).isNull();
    }
}
