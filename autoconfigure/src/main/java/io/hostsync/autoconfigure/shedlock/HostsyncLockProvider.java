package io.hostsync.autoconfigure.shedlock;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.hostsync.EntryMismatchException;
import io.hostsync.Participant;
import io.hostsync.RegionFullException;
import io.hostsync.SharedRegion;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A ShedLock {@link ExtensibleLockProvider} for the processes of one host, with no database: a
 * {@code @SchedulerLock} job runs in one process of the host at a time. Each job name has one
 * record in a {@link SharedMap} of the region (by default {@value #DEFAULT_MAP}): who holds it
 * (a process slot and its generation), since when, and until when.
 *
 * <p>What is guaranteed, with ShedLock's meaning of its settings:
 * <ul>
 *   <li>{@link #lock} never waits: it returns empty while another process, or another thread of
 *       this one, holds the name. Records change atomically for every process (compare and
 *       replace in the map), so two processes never both get the lock.</li>
 *   <li>A live holder keeps the lock until it unlocks it, or until {@code lockAtMostFor} has
 *       passed; then another process may take it, even if the first one is still running the
 *       job (ShedLock's lease, kept for jobs that hang).</li>
 *   <li>A holder that dies (SIGKILL, OOM kill, a crash) frees the lock <b>at once</b>: its death
 *       is confirmed by the kernel through its process slot's OFD lock, as for every hostsync
 *       lock, so the next process that asks runs the job rather than waiting out
 *       {@code lockAtMostFor}. {@code lockAtLeastFor} does not apply then: the job did not finish.
 *       A process that closes the region holding the lock frees it the same way.</li>
 *   <li>After an unlock the name stays taken until {@code lockedAt + lockAtLeastFor}, whoever
 *       asks, the process that ran the job included.</li>
 *   <li>{@link SimpleLock#extend} works for the current holder only, and only while its lock has
 *       not expired.</li>
 * </ul>
 *
 * <p>Times are wall-clock instants from ShedLock's {@link ClockProvider}, as every ShedLock
 * provider uses. Every process of a host reads the same wall clock (containers too: Linux time
 * namespaces shift only the monotonic clocks), so the clock skew between machines that
 * {@code lockAtLeastFor} usually absorbs does not exist here. A step of the clock (an NTP step, a
 * manual change) moves the expiry of {@code lockAtMostFor} and {@code lockAtLeastFor} by the
 * step, as with any ShedLock provider; it never frees the lock of a dead holder later, nor that
 * of a live holder before its expiry as read on the clock. A monotonic clock is not used: Java
 * does not promise that {@link System#nanoTime()} of two JVMs compare, and time namespaces give
 * containers monotonic clocks of their own.
 *
 * <p>Names are any non-empty strings (ShedLock resolves SpEL and placeholders in
 * {@code @SchedulerLock(name = ...)} before asking), stored whole as UTF-8: one record per name
 * in use, so a name per customer or per file works like a keyed lock. The map is created with
 * room for a number of names (see {@link #HostsyncLockProvider(SharedRegion, String, int)});
 * records whose lock has passed are removed when room runs out, and on unlock when no
 * {@code lockAtLeastFor} remains.
 */
public final class HostsyncLockProvider implements ExtensibleLockProvider {

    /** The name of the map of job records, unless another is given. */
    public static final String DEFAULT_MAP = "shedlock";

    /** How many job names the map has room for, unless another number is given. */
    public static final int DEFAULT_MAX_JOBS = 128;

    /** The average bytes of a job name and its record that the map is sized for. */
    static final int AVERAGE_ENTRY_BYTES = 96;

    /** How many times {@link #lock} reads and replaces again a record that changed under it. */
    private static final int ATTEMPTS = 8;

    private static final Log logger = LogFactory.getLog(HostsyncLockProvider.class);

    private final SharedRegion region;

    private final SharedMap<String, JobLock> jobs;

    private final String description;

    /** Makes each acquisition's record unique, so that a holder recognises its own. */
    private final AtomicLong acquisitions = new AtomicLong();

    private final AtomicLong recoveries = new AtomicLong();

    /**
     * Creates a provider over the map {@value #DEFAULT_MAP} of a region, creating the map with
     * room for {@value #DEFAULT_MAX_JOBS} job names if no process has yet.
     *
     * @param region the region shared by the processes that run the jobs
     */
    public HostsyncLockProvider(SharedRegion region) {
        this(region, DEFAULT_MAP, DEFAULT_MAX_JOBS);
    }

    /**
     * Creates a provider over a map of a region, creating the map if no process has yet.
     *
     * @param region the region shared by the processes that run the jobs
     * @param map the map's name in the region's state
     * @param maxJobs how many job names the map has room for at once; every process must give
     *     the same
     * @throws EntryMismatchException if the region has an entry of that name that is not such a
     *     map (another type, or another number of job names)
     * @throws io.hostsync.RegionFullException if the region has no room for the map
     */
    public HostsyncLockProvider(SharedRegion region, String map, int maxJobs) {
        this.region = Objects.requireNonNull(region, "region");
        this.jobs = region.state().map(map, Codecs.utf8(), new JobLock.Codec(region.header().slotCapacity()),
                MapCapacity.of(maxJobs, AVERAGE_ENTRY_BYTES));
        this.description = "ShedLock map '" + map + "' of region '" + region.name() + "'";
    }

    /**
     * Takes the lock of a job name if no live process holds it and its {@code lockAtLeastFor}
     * has passed. Never waits.
     *
     * @param configuration the name, {@code lockAtMostFor} and {@code lockAtLeastFor}
     * @return the lock, or empty if it is held elsewhere
     * @throws EntryMismatchException if the name's record was not written by this provider
     * @throws IllegalStateException if the map has no room for another name
     */
    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        String name = configuration.getName();
        Instant lockedAt = configuration.getLockAtMostUntil().minus(configuration.getLockAtMostFor());
        JobLock wanted = JobLock.held(this.region.slot(), this.region.generation(), this.acquisitions.incrementAndGet(),
                lockedAt.toEpochMilli(), configuration.getLockAtMostUntil().toEpochMilli());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = ClockProvider.now().toEpochMilli();
            JobLock current = this.jobs.get(name);
            if (current == null) {
                if (putIfAbsent(name, wanted) == null) {
                    return Optional.of(new HostsyncLock(configuration, wanted));
                }
                continue; // another process took it first: read what it wrote
            }
            check(name, current);
            Free free = free(current, now);
            if (free == Free.NO) {
                return Optional.empty();
            }
            if (this.jobs.replace(name, current, wanted)) {
                if (free == Free.HOLDER_DIED) {
                    this.recoveries.incrementAndGet();
                    logger.info("ShedLock job '" + name + "' of region '" + this.region.name() + "' was held by a"
                            + " process that died (" + current.describeHolder() + "); this process takes it over");
                }
                return Optional.of(new HostsyncLock(configuration, wanted));
            }
        }
        return Optional.empty(); // the record kept changing: other processes are taking it
    }

    /**
     * Returns how many times this process took a job whose holder had died before unlocking it.
     *
     * @return the count since this provider was created
     */
    public long recoveries() {
        return this.recoveries.get();
    }

    /**
     * Returns the region whose map holds the job records.
     *
     * @return the region
     */
    public SharedRegion getRegion() {
        return this.region;
    }

    /**
     * Tells who holds a job name's lock now, for diagnostics and tests.
     *
     * @param name the job name
     * @return the holder's participant, if a live process holds the lock and it has not expired
     */
    public Optional<Participant> holder(String name) {
        JobLock current = this.jobs.get(name);
        if (current == null || !current.isHeld()) {
            return Optional.empty();
        }
        check(name, current);
        long now = ClockProvider.now().toEpochMilli();
        if (current.lockUntil() <= now) {
            return Optional.empty();
        }
        return this.region.participants()
                .stream()
                .filter((participant) -> participant.slot() == current.slot()
                        && participant.generation() == current.generation())
                .findFirst();
    }

    @Override
    public String toString() {
        return "HostsyncLockProvider over the " + this.description;
    }

    private @Nullable JobLock putIfAbsent(String name, JobLock wanted) {
        try {
            return this.jobs.putIfAbsent(name, wanted);
        } catch (RegionFullException full) {
            removeFreeRecords();
            try {
                return this.jobs.putIfAbsent(name, wanted);
            } catch (RegionFullException stillFull) {
                throw new IllegalStateException("The " + this.description + " has no room for job '" + name + "': its"
                        + " part of the map is full of locks that are held, or not yet past their lockAtLeastFor ("
                        + this.jobs.size() + " job names in a map created for " + this.jobs.capacity().entries()
                        + "). Raise hostsync.shedlock.max-jobs (with the region's size, and remove the region file"
                        + " while no process has it open, since every process must create the map alike), or use"
                        + " fewer distinct job names.", stillFull);
            }
        }
    }

    /** Removes the records that no longer lock anything, each only if it is still the record that was read. */
    private void removeFreeRecords() {
        long now = ClockProvider.now().toEpochMilli();
        for (Map.Entry<String, JobLock> entry : this.jobs.entrySet()) {
            JobLock record = entry.getValue();
            if (record.isReadable() && free(record, now) != Free.NO) {
                this.jobs.remove(entry.getKey(), record);
            }
        }
    }

    private Free free(JobLock record, long now) {
        if (record.lockUntil() <= now) {
            return Free.EXPIRED;
        }
        if (record.isHeld() && !isAlive(record.slot(), record.generation())) {
            return Free.HOLDER_DIED;
        }
        return Free.NO;
    }

    /** Whether the process that took the record is alive: the kernel's answer, through the slot's OFD lock. */
    private boolean isAlive(int slot, long generation) {
        if (slot == this.region.slot()) {
            return generation == this.region.generation();
        }
        for (Participant participant : this.region.participants()) {
            if (participant.slot() == slot) {
                return participant.generation() == generation;
            }
        }
        return false;
    }

    private void check(String name, JobLock record) {
        if (!record.isReadable()) {
            throw new EntryMismatchException("The record of ShedLock job '" + name + "' in the " + this.description
                    + " was not written by this provider (" + record.describeUnreadable() + "): another program,"
                    + " or another version of hostsync, uses a map of that name. Give the lock provider a map of its"
                    + " own with hostsync.shedlock.map, or remove the record (SharedMap.remove) once no process runs"
                    + " the job.");
        }
    }

    /** Whether a record leaves its name free to take, and why. */
    private enum Free {
        NO, EXPIRED, HOLDER_DIED
    }

    /**
     * One acquisition of a job name by this process: unlocks and extends its own record only,
     * never one that another process wrote after this one's {@code lockAtMostFor} passed.
     */
    private final class HostsyncLock extends AbstractSimpleLock {

        private final JobLock record;

        HostsyncLock(LockConfiguration configuration, JobLock record) {
            super(configuration);
            this.record = record;
        }

        @Override
        protected void doUnlock() {
            String name = this.lockConfiguration.getName();
            Instant until = this.lockConfiguration.getUnlockTime();
            boolean unlocked;
            if (until.isAfter(ClockProvider.now())) {
                unlocked = HostsyncLockProvider.this.jobs.replace(name, this.record,
                        this.record.released(until.toEpochMilli()));
            } else {
                unlocked = HostsyncLockProvider.this.jobs.remove(name, this.record);
            }
            if (!unlocked) {
                logger.warn("ShedLock job '" + name + "' of region '" + HostsyncLockProvider.this.region.name()
                        + "' ran longer than its lockAtMostFor (" + this.lockConfiguration.getLockAtMostFor()
                        + "), and its lock was taken by another run before this one ended: the job may have run"
                        + " twice at once. Raise lockAtMostFor above the job's longest run, or extend the lock"
                        + " while it runs (LockExtender.extendActiveLock).");
            }
        }

        @Override
        protected Optional<SimpleLock> doExtend(LockConfiguration configuration) {
            String name = configuration.getName();
            if (this.record.lockUntil() <= ClockProvider.now().toEpochMilli()) {
                return Optional.empty(); // expired: another process may have it already
            }
            JobLock extended = JobLock.held(this.record.slot(), this.record.generation(),
                    HostsyncLockProvider.this.acquisitions.incrementAndGet(), this.record.lockedAt(),
                    configuration.getLockAtMostUntil().toEpochMilli());
            if (HostsyncLockProvider.this.jobs.replace(name, this.record, extended)) {
                return Optional.of(new HostsyncLock(configuration, extended));
            }
            return Optional.empty();
        }
    }
}
