package io.hostsync.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.Participant;
import io.hostsync.RWLock;
import io.hostsync.RegionHeader;
import io.hostsync.RegionReport;
import io.hostsync.SharedRegion;
import io.hostsync.state.MapStatistics;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code hostsync} actuator endpoint: for every region, its file and usage, the processes
 * that have it open, for every lock in it the host-wide statistics, who holds and who waits,
 * how many dead holders were recovered, and whether the lock is possibly torn, and for every
 * shared map its size, capacity and recoveries.
 *
 * <p>Everything is read from the shared region when the endpoint is called, so any one instance
 * shows the whole host. {@code /actuator/hostsync} lists every region;
 * {@code /actuator/hostsync/{region}} shows one, or answers 404 for a region this application
 * has not opened.
 */
@Endpoint(id = "hostsync")
public class HostsyncEndpoint {

    private final Map<String, SharedRegion> regions = new LinkedHashMap<>();

    /**
     * Creates the endpoint for some regions. Regions with the same name are shown once.
     *
     * @param regions the regions to describe
     */
    public HostsyncEndpoint(Collection<SharedRegion> regions) {
        regions.forEach((region) -> this.regions.putIfAbsent(region.name(), region));
    }

    /**
     * Describes every region.
     *
     * @return the regions, by name
     */
    @ReadOperation
    public HostsyncDescriptor regions() {
        Map<String, RegionDescriptor> descriptors = new LinkedHashMap<>();
        this.regions.forEach((name, region) -> descriptors.put(name, describe(region)));
        return new HostsyncDescriptor(descriptors);
    }

    /**
     * Describes one region.
     *
     * @param region the region name
     * @return the region, or {@code null} (404) if this application has not opened it
     */
    @ReadOperation
    public @Nullable RegionDescriptor region(@Selector String region) {
        SharedRegion shared = this.regions.get(region);
        return (shared != null) ? describe(shared) : null;
    }

    private static RegionDescriptor describe(SharedRegion region) {
        List<Participant> participants = region.participants();
        Map<Integer, Participant> bySlot = participants.stream()
                .collect(Collectors.toMap(Participant::slot, Function.identity()));
        Map<String, LockDescriptor> locks = new LinkedHashMap<>();
        for (String name : region.lockNames()) {
            locks.put(name, describe(region.lock(name), bySlot));
        }
        List<KeyedLockDescriptor> keyedLocks = new ArrayList<>();
        for (RegionReport.KeyedLockReport keyed : region.keyedLocks()) {
            keyedLocks.add(KeyedLockDescriptor.of(keyed, bySlot));
        }
        Map<String, MapDescriptor> maps = new LinkedHashMap<>();
        for (MapStatistics map : region.state().mapStatistics()) {
            maps.put(map.name(), MapDescriptor.of(map));
        }
        RegionHeader header = region.header();
        return new RegionDescriptor(region.file().toString(), region.size(), region.usedBytes(),
                header.created().toString(), header.layoutVersion(), header.slotCapacity(), header.lockCapacity(),
                region.slot(), participants.stream().map(ParticipantDescriptor::of).toList(), locks, keyedLocks, maps);
    }

    private static LockDescriptor describe(RWLock lock, Map<Integer, Participant> participants) {
        LockStatistics host = lock.hostStatistics();
        List<HolderDescriptor> holders = new ArrayList<>();
        for (LockHolder holder : lock.holders()) {
            holders.add(HolderDescriptor.of(holder, participants.get(holder.slot())));
        }
        return new LockDescriptor(host.possiblyTorn(), StatisticsDescriptor.of(host),
                StatisticsDescriptor.of(lock.processStatistics()), holders);
    }

    /**
     * The endpoint's answer: every region this application has opened.
     *
     * @param regions the regions, by name
     */
    public record HostsyncDescriptor(Map<String, RegionDescriptor> regions) implements OperationResponseBody {
    }

    /**
     * One region.
     *
     * @param file the region file
     * @param size the region size in bytes
     * @param used the bytes in use
     * @param created when the region was created, ISO-8601
     * @param layoutVersion the layout version of the file
     * @param slotCapacity how many processes may have the region open at once
     * @param lockCapacity how many locks the region can hold
     * @param slot the process slot of this application
     * @param participants the live processes that have the region open, by slot
     * @param locks every named lock in the region, by name, the default lock first
     * @param keyedLocks the keyed locks of every process that have a lock record now (held, waited
     *     for, or not reclaimed yet), in record order
     * @param maps every shared map in the region, by name, created by any process
     */
    public record RegionDescriptor(String file, long size, long used, String created, int layoutVersion,
            int slotCapacity, int lockCapacity, int slot, List<ParticipantDescriptor> participants,
            Map<String, LockDescriptor> locks, List<KeyedLockDescriptor> keyedLocks, Map<String, MapDescriptor> maps)
            implements
                OperationResponseBody {
    }

    /**
     * One keyed lock in use ({@code region.lock(family, key)}).
     *
     * @param name {@code family['key']}, or {@code family[sha-256:...]} for a key stored as its digest
     * @param family the family
     * @param key the key (quoted text, or {@code 0x} and hex digits), or {@code sha-256:} and the digest
     * @param digest whether the key was too long to be stored whole, and its SHA-256 is stored instead
     * @param pins holds and waits of live processes' threads on the key
     * @param writerSlot the slot of the process whose writer owns the lock, or -1
     * @param possiblyTorn whether a writer died holding the lock and nobody has called
     *     {@code markConsistent()} since
     * @param holders the live processes that hold or wait for the lock now
     */
    public record KeyedLockDescriptor(String name, String family, String key, boolean digest, long pins,
            int writerSlot, boolean possiblyTorn, List<HolderDescriptor> holders) {

        static KeyedLockDescriptor of(RegionReport.KeyedLockReport keyed, Map<Integer, Participant> participants) {
            List<HolderDescriptor> holders = new ArrayList<>();
            for (LockHolder holder : keyed.holders()) {
                if (participants.containsKey(holder.slot())) {
                    holders.add(HolderDescriptor.of(holder, participants.get(holder.slot())));
                }
            }
            return new KeyedLockDescriptor(keyed.name(), keyed.family(), keyed.key(), keyed.digest(), keyed.pins(),
                    keyed.writerSlot(), keyed.possiblyTorn(), holders);
        }
    }

    /**
     * One shared map, for the whole host.
     *
     * @param size the entries in it now
     * @param capacity the entries it was created for
     * @param averageEntryBytes the average key and value bytes it was created for
     * @param segments the segments it is split into
     * @param recoveries changes of processes that died in the middle of them, completed by the next
     *     writer of their segment
     */
    public record MapDescriptor(long size, int capacity, int averageEntryBytes, int segments, long recoveries) {

        static MapDescriptor of(MapStatistics map) {
            return new MapDescriptor(map.size(), map.capacity().entries(), map.capacity().averageEntryBytes(),
                    map.segments(), map.recoveries());
        }
    }

    /**
     * A live process that has the region open.
     *
     * @param slot its process slot
     * @param generation how many times the slot has been claimed; with the slot, it identifies the process
     * @param pid its process id as it sees itself (in a container, often 1)
     * @param host its host name (in a container, the container's)
     * @param since when it claimed the slot, ISO-8601
     * @param pidNamespace the inode of its PID namespace, 0 if unknown
     * @param self whether it is this application
     */
    public record ParticipantDescriptor(int slot, long generation, long pid, String host, String since,
            long pidNamespace, boolean self) {

        static ParticipantDescriptor of(Participant participant) {
            return new ParticipantDescriptor(participant.slot(), participant.generation(), participant.pid(),
                    participant.host(), participant.since().toString(), participant.pidNamespace(),
                    participant.self());
        }
    }

    /**
     * One lock.
     *
     * @param possiblyTorn whether a writer died holding the lock and nobody has called
     *     {@code markConsistent()} since
     * @param host the figures of every process on the host
     * @param process the figures of this application alone
     * @param holders the live processes that hold or wait for the lock now
     */
    public record LockDescriptor(boolean possiblyTorn, StatisticsDescriptor host, StatisticsDescriptor process,
            List<HolderDescriptor> holders) {
    }

    /**
     * Figures of one lock, for the host or for one process.
     *
     * @param readHolds read holds now, a reentrant hold counted each
     * @param writerSlot the slot of the process whose writer owns the lock, or -1
     * @param waitingReaders threads waiting to read now
     * @param waitingWriters threads waiting to write now
     * @param readAcquisitions read locks taken
     * @param writeAcquisitions write locks taken
     * @param contendedAcquisitions locks taken after waiting
     * @param totalWaitMillis time spent waiting by the acquisitions that waited, in milliseconds
     * @param timeouts acquisitions that gave up
     * @param recoveries dead holders whose share was reclaimed, counted by who reclaimed it
     */
    public record StatisticsDescriptor(long readHolds, int writerSlot, int waitingReaders, int waitingWriters,
            long readAcquisitions, long writeAcquisitions, long contendedAcquisitions, double totalWaitMillis,
            long timeouts, long recoveries) {

        static StatisticsDescriptor of(LockStatistics statistics) {
            return new StatisticsDescriptor(statistics.readHolds(), statistics.writerSlot(),
                    statistics.waitingReaders(), statistics.waitingWriters(), statistics.readAcquisitions(),
                    statistics.writeAcquisitions(), statistics.contendedAcquisitions(),
                    statistics.totalWait().toNanos() / 1e6, statistics.timeouts(), statistics.recoveries());
        }
    }

    /**
     * A live process's part in a lock.
     *
     * @param slot its process slot
     * @param pid its process id as it sees itself, or -1 if it left the region since it was seen holding
     * @param host its host name, or {@code null} if unknown
     * @param readHolds read holds of its threads
     * @param writer whether it owns the write lock (held, or waiting for readers to leave)
     * @param waitingReaders its threads waiting to read
     * @param waitingWriters its threads waiting to write
     * @param writeAcquisitions write locks its slot has taken; with the slot, it tells one write hold
     *     from the next
     */
    public record HolderDescriptor(int slot, long pid, @Nullable String host, long readHolds, boolean writer,
            int waitingReaders, int waitingWriters, long writeAcquisitions) {

        static HolderDescriptor of(LockHolder holder, @Nullable Participant participant) {
            return new HolderDescriptor(holder.slot(), (participant != null) ? participant.pid() : -1,
                    (participant != null) ? participant.host() : null, holder.readHolds(), holder.writer(),
                    holder.waitingReaders(), holder.waitingWriters(), holder.writeAcquisitions());
        }
    }
}
