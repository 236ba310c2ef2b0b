package io.hostsync.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.hostsync.LockStatistics;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.MapStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Registers the meters of every region and of every lock that exists in it when the binder is
 * bound, all at once, so that dashboards show zeros before the first lock is taken.
 *
 * <p>Every value is read from the region when the registry asks for it; nothing is counted on the
 * lock's hot path. A scrape computes a lock's statistics once per scope (they ask the kernel about
 * every participant), and all that scope's meters show that one computation. Meters tagged {@code scope=host} add up every process on the host, so any one
 * instance's dashboard shows the whole host; {@code scope=process} shows this process alone. No
 * meter is tagged by process id or thread. The names are those of {@link HostsyncMeterNames}:
 *
 * <table>
 * <caption>Meters per lock (tags {@code region}, {@code lock})</caption>
 * <tr><th>name</th><th>type</th><th>more tags</th></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_ACQUIRE}</td><td>function timer</td><td>scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_WAITING}</td><td>gauge</td><td>mode, scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_HOLDERS}</td><td>gauge</td><td>mode, scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_TIMEOUTS}</td><td>function counter</td><td>scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_RECOVERIES}</td><td>function counter</td><td>scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_CONTENDED}</td><td>function counter</td><td>scope</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_POSSIBLY_TORN}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_HOLD}</td><td>timer</td><td>mode</td></tr>
 * <tr><td>{@value HostsyncMeterNames#LOCK_WAIT}</td><td>timer</td><td>mode, outcome</td></tr>
 * </table>
 *
 * <p>and per region (tag {@code region}) the gauges {@value HostsyncMeterNames#REGION_SIZE},
 * {@value HostsyncMeterNames#REGION_USED} (bytes) and {@value HostsyncMeterNames#REGION_PARTICIPANTS},
 * and the function counter {@value HostsyncMeterNames#REGION_FAILURES}; per shared map (tags
 * {@code region}, {@code map}) the gauges {@value HostsyncMeterNames#MAP_SIZE} and
 * {@value HostsyncMeterNames#MAP_CAPACITY} (entries) and the function counter
 * {@value HostsyncMeterNames#MAP_RECOVERIES}, for the whole host, and the counters
 * {@value HostsyncMeterNames#MAP_OPERATIONS} of this process's operations (tags {@code operation}
 * and {@code result}), one per operation and result, counted by {@link MapOperationCounters}
 * (for a map first used after binding, registered when this JVM first asks for it).
 * The two timers are recorded by {@link MicrometerMetricsRecorder}; they are registered here so that
 * they exist before the first guarded call.
 *
 * <p>A lock created after binding gets its timers from the recorder when first used, but no
 * region-backed meters: configure the locks a dashboard should show, so that they exist at
 * startup. Likewise, only the maps that exist when the binder is bound (created by any process)
 * have meters. {@link #close()} removes every meter this binder registered, since a closed region has
 * nothing left to report.
 */
public class HostsyncMeterBinder implements MeterBinder, AutoCloseable {

    private final Map<String, SharedRegion> regions = new LinkedHashMap<>();

    /** What was registered where, for {@link #close()}; guarded by itself. */
    private final List<Registered> registered = new ArrayList<>();

    /**
     * The snapshots the meters read: Micrometer holds a meter's state object weakly, and nothing
     * else holds a snapshot, so without this a collection would turn the meters into NaN. Guarded
     * by {@link #registered}.
     */
    private final List<Snapshot> snapshots = new ArrayList<>();

    /** The registries bound to, where each map's operation counters go. Guarded by {@link #registered}. */
    private final List<MeterRegistry> registries = new ArrayList<>();

    /**
     * Creates a binder for some regions. Regions with the same name are bound once.
     *
     * @param regions the regions whose meters to register
     */
    public HostsyncMeterBinder(Collection<SharedRegion> regions) {
        regions.forEach((region) -> this.regions.putIfAbsent(region.name(), region));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        List<Snapshot> sources = new ArrayList<>();
        this.regions.values().forEach((region) -> bindRegion(region, registry, meters, sources));
        List<MeterRegistry> all;
        synchronized (this.registered) {
            meters.forEach((meter) -> this.registered.add(new Registered(registry, meter)));
            this.snapshots.addAll(sources);
            this.registries.add(registry);
            all = List.copyOf(this.registries);
        }
        // Each map this JVM uses, now or later, counts its operations in every registry bound so far.
        for (SharedRegion region : this.regions.values()) {
            region.state()
                    .recordMapOperations(
                            (map) -> MapOperationCounters.register(all, region.name(), map, this::registered));
        }
    }

    private void registered(MeterRegistry registry, Meter meter) {
        synchronized (this.registered) {
            this.registered.add(new Registered(registry, meter));
        }
    }

    private static void bindRegion(SharedRegion region, MeterRegistry registry, List<Meter> meters,
            List<Snapshot> snapshots) {
        Tags tags = Tags.of(HostsyncMeterNames.TAG_REGION, region.name());
        meters.add(Gauge.builder(HostsyncMeterNames.REGION_SIZE, region, SharedRegion::size)
                .description("Size of the region file")
                .baseUnit(BaseUnits.BYTES)
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.REGION_USED, region, SharedRegion::usedBytes)
                .description("Bytes in use in the region: header, tables, directory and allocated entries")
                .baseUnit(BaseUnits.BYTES)
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.REGION_PARTICIPANTS, region, (r) -> r.participants().size())
                .description("Processes that have the region open now, as the kernel confirms")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter
                .builder(HostsyncMeterNames.REGION_FAILURES, region, (r) -> r.failure().isPresent() ? 1 : 0)
                .description("Times this process lost the region: its file removed, replaced or truncated while in use")
                .tags(tags)
                .register(registry));
        for (MapStatistics map : region.state().mapStatistics()) {
            bindMap(region, map.name(), tags.and(HostsyncMeterNames.TAG_MAP, map.name()), registry, meters);
            // Zeros from the start, also for a map this JVM has not asked for yet.
            MapOperationCounters.register(List.of(registry), region.name(), map.name(),
                    (r, meter) -> meters.add(meter));
        }
        for (String lockName : region.lockNames()) {
            RWLock lock = region.lock(lockName);
            Tags lockTags = tags.and(HostsyncMeterNames.TAG_LOCK, lockName);
            // Host figures ask the kernel about every participant: computed once per scrape, and again
            // as soon as this process's own figures (shared memory only) show a change.
            snapshots.add(bindScope(lock, lockTags, HostsyncMeterNames.SCOPE_HOST, RWLock::hostStatistics,
                    RWLock::processStatistics, (statistics) -> statistics.writerSlot() >= 0, registry, meters));
            int slot = region.slot();
            snapshots.add(bindScope(lock, lockTags, HostsyncMeterNames.SCOPE_PROCESS, RWLock::processStatistics, null,
                    (statistics) -> statistics.writerSlot() == slot, registry, meters));
            meters.add(Gauge.builder(HostsyncMeterNames.LOCK_POSSIBLY_TORN, lock, (l) -> l.isPossiblyTorn() ? 1 : 0)
                    .description(
                            "1 while a writer has died holding the lock and nobody has called markConsistent() since")
                    .tags(lockTags)
                    .register(registry));
            meters.addAll(LockTimers.register(registry, region.name(), lockName).meters());
        }
    }

    /** The meters of one map; each reading asks the region (a sum over the map's segments). */
    private static void bindMap(SharedRegion region, String name, Tags tags, MeterRegistry registry,
            List<Meter> meters) {
        meters.add(Gauge.builder(HostsyncMeterNames.MAP_SIZE, region, (r) -> mapFigure(r, name, MapStatistics::size))
                .description("Entries in the shared map now, for the whole host")
                .tags(tags)
                .register(registry));
        meters.add(Gauge
                .builder(HostsyncMeterNames.MAP_CAPACITY, region,
                        (r) -> mapFigure(r, name, (map) -> map.capacity().entries()))
                .description("Entries the shared map was created for")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter
                .builder(HostsyncMeterNames.MAP_RECOVERIES, region,
                        (r) -> mapFigure(r, name, MapStatistics::recoveries))
                .description(
                        "Changes of processes that died in the middle of them, completed by the next writer of their segment")
                .tags(tags)
                .register(registry));
    }

    private static double mapFigure(SharedRegion region, String name, ToDoubleFunction<MapStatistics> figure) {
        MapStatistics map = region.state().mapStatistics(name);
        return (map != null) ? figure.applyAsDouble(map) : Double.NaN;
    }

    /**
     * The region-backed meters of one lock in one scope, all fed by one {@link Snapshot}.
     *
     * @param statistics reads the scope's figures
     * @param change cheap figures that differ whenever this process changed the lock, so that a
     *     snapshot is not reused past such a change; null to compute the figures at every reading
     * @param writing tells from the figures whether the scope holds the write lock
     * @return the snapshot the meters read, which the caller must keep reachable (meters hold it weakly)
     */
    static Snapshot bindScope(RWLock lock, Tags lockTags, String scope, Function<RWLock, LockStatistics> statistics,
            @Nullable Function<RWLock, LockStatistics> change, Predicate<LockStatistics> writing,
            MeterRegistry registry,
            List<Meter> meters) {
        Tags tags = lockTags.and(HostsyncMeterNames.TAG_SCOPE, scope);
        Tags read = tags.and(HostsyncMeterNames.TAG_MODE, HostsyncMeterNames.MODE_READ);
        Tags write = tags.and(HostsyncMeterNames.TAG_MODE, HostsyncMeterNames.MODE_WRITE);
        Snapshot snapshot = new Snapshot(() -> statistics.apply(lock),
                (change != null) ? () -> change.apply(lock) : null);
        meters.add(FunctionTimer
                .builder(HostsyncMeterNames.LOCK_ACQUIRE, snapshot, (s) -> s.read(0).acquisitions(),
                        (s) -> s.read(1).totalWait().toNanos(), TimeUnit.NANOSECONDS)
                .description("Locks taken, read and write, and the time spent waiting by those that had to wait")
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.LOCK_WAITING, snapshot, (s) -> s.read(2).waitingReaders())
                .description("Threads waiting for the lock now")
                .tags(read)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.LOCK_WAITING, snapshot, (s) -> s.read(3).waitingWriters())
                .description("Threads waiting for the lock now")
                .tags(write)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.LOCK_HOLDERS, snapshot, (s) -> s.read(4).readHolds())
                .description(
                        "Holds of the lock now: read holds (a reentrant hold counts each), or 1 while a writer owns it")
                .tags(read)
                .register(registry));
        meters.add(Gauge.builder(HostsyncMeterNames.LOCK_HOLDERS, snapshot, (s) -> writing.test(s.read(5)) ? 1 : 0)
                .description(
                        "Holds of the lock now: read holds (a reentrant hold counts each), or 1 while a writer owns it")
                .tags(write)
                .register(registry));
        meters.add(FunctionCounter.builder(HostsyncMeterNames.LOCK_TIMEOUTS, snapshot, (s) -> s.read(6).timeouts())
                .description("Attempts to take the lock that gave up when their timeout elapsed")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter.builder(HostsyncMeterNames.LOCK_RECOVERIES, snapshot, (s) -> s.read(7).recoveries())
                .description(
                        "Dead holders whose share of the lock was reclaimed, counted by the process that reclaimed it")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter
                .builder(HostsyncMeterNames.LOCK_CONTENDED, snapshot, (s) -> s.read(8).contendedAcquisitions())
                .description("Locks taken after waiting")
                .tags(tags)
                .register(registry));
        snapshot.lock = lock; // the meters hold the snapshot weakly (Micrometer's default); it holds the lock
        return snapshot;
    }

    /**
     * Removes every meter this binder registered from the registry it was registered in.
     */
    @Override
    public void close() {
        for (SharedRegion region : this.regions.values()) {
            if (!region.isClosed()) { // a closed region's maps count nothing any more
                region.state().recordMapOperations(null);
            }
        }
        synchronized (this.registered) {
            this.registries.clear();
            this.registered.forEach((entry) -> entry.registry().remove(entry.meter()));
            this.registered.clear();
            this.snapshots.clear();
        }
    }

    @Override
    public String toString() {
        return "HostsyncMeterBinder" + this.regions.keySet();
    }

    private record Registered(MeterRegistry registry, Meter meter) {
    }

    /**
     * One lock's statistics in one scope, computed once and read by each of the scope's meters
     * once. A scrape reads every meter once, so it computes the statistics once; a meter that
     * reads again (the next scrape, or someone polling one gauge) gets a fresh computation, and so
     * does any read more than {@link #MAX_AGE_NANOS} after the computation, or after this process
     * changed the lock: a meter never shows figures older than its own previous reading, than
     * that age, or than this process's last change.
     */
    static final class Snapshot {

        /** Longer than any scrape of a lock's meters takes, shorter than any scrape interval. */
        static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

        private final Supplier<LockStatistics> compute;

        /** Cheap figures that change with this process's use of the lock; null: no reuse. */
        private final @Nullable Supplier<LockStatistics> change;

        private @Nullable LockStatistics changeSeen;

        /** Keeps the lock reachable as long as a meter keeps this snapshot. */
        @Nullable
        RWLock lock;

        private @Nullable LockStatistics current;

        private long takenAt;

        /** Bit {@code i} set once reader {@code i} has read {@link #current}. */
        private long readers;

        Snapshot(Supplier<LockStatistics> compute, @Nullable Supplier<LockStatistics> change) {
            this.compute = compute;
            this.change = change;
        }

        /**
         * The statistics for reader {@code reader} (a meter's function, 0 to 63).
         * @param reader which function of which meter reads
         * @return the figures
         */
        synchronized LockStatistics read(int reader) {
            if (this.change == null) {
                return this.compute.get();
            }
            long bit = 1L << reader;
            long now = System.nanoTime();
            LockStatistics changeNow = this.change.get();
            if (this.current == null || (this.readers & bit) != 0 || now - this.takenAt > MAX_AGE_NANOS
                    || !changeNow.equals(this.changeSeen)) {
                this.current = this.compute.get();
                this.changeSeen = changeNow;
                this.takenAt = now;
                this.readers = 0;
            }
            this.readers |= bit;
            return this.current;
        }
    }
}
