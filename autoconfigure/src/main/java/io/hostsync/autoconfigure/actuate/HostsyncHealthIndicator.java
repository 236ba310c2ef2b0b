package io.hostsync.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.Participant;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncProperties.Health.Scope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.SmartLifecycle;

/**
 * The {@code hostsync} health contributor. It finds these problems in the regions this
 * application has opened:
 * <ul>
 *   <li>the region is lost: its file was removed, replaced or truncated while in use
 *       ({@code SharedRegion.failure()}), so this process no longer shares it with the others and
 *       every operation on it fails. The problem is the region's own message: what happened to
 *       which file, and what to do. A problem of this process;</li>
 *   <li>one write hold of a lock has lasted longer than the configured maximum
 *       ({@code hostsync.health.max-hold}): a problem of this process if it holds the lock, of
 *       the host if another process does;</li>
 *   <li>a lock is <em>possibly torn</em>: a writer died holding it and nobody has acknowledged it
 *       since, by taking the write lock and calling {@code RWLock.markConsistent()}. A problem of
 *       the host: every process that opened the region sees it alike.</li>
 * </ul>
 * With {@link Scope#PROCESS} (the default) only the problems of this process make it DOWN, and
 * those of the host are listed as {@code hostProblems}; with {@link Scope#HOST} every problem
 * makes it DOWN, on every instance of the host at once.
 *
 * <p>The region records no time stamps, on purpose. A write hold is recognised by the writer's
 * slot and its count of write acquisitions: a sampler that sees the same pair twice knows that the
 * same hold lasted between its two looks. This indicator samples every lock on each health check
 * and, in the background, every tenth of the maximum hold (at least every
 * {@value #MIN_SAMPLE_INTERVAL_MILLIS} ms), on one daemon thread that runs from {@link #start()} (when
 * the application context starts) to {@link #stop()} or {@link #close()}. A
 * hold is therefore reported within about 1.1 times the maximum of its start, however rarely
 * health is asked for, and never before it has truly lasted the maximum: the time shown,
 * {@code heldForAtLeastMillis}, counts from the first sample that saw the hold.
 */
public class HostsyncHealthIndicator extends AbstractHealthIndicator implements SmartLifecycle, AutoCloseable {

    /** The shortest interval between background samples. */
    static final long MIN_SAMPLE_INTERVAL_MILLIS = 10;

    private static final Log logger = LogFactory.getLog(HostsyncHealthIndicator.class);

    private static final String ACKNOWLEDGE = "acknowledge by taking the write lock and calling"
            + " RWLock.markConsistent()";

    private final Map<String, SharedRegion> regions = new LinkedHashMap<>();

    private final Duration maxHold;

    private final Scope scope;

    private final boolean sampleInBackground;

    private final LongSupplier nanoTime;

    /** The write hold last seen on each lock, by region name then lock name; guarded by itself. */
    private final Map<String, Map<String, WriteHold>> writeHolds = new HashMap<>();

    /** The background sampler while started, else null; guarded by this. */
    private @Nullable ScheduledExecutorService sampler;

    /**
     * Creates the indicator; its background sampler runs from {@link #start()}.
     *
     * @param regions the regions to watch; regions with the same name are watched once
     * @param maxHold the longest healthy write hold, zero or more
     * @param scope which problems make it DOWN
     * @throws IllegalArgumentException if {@code maxHold} is {@code null} or negative
     */
    public HostsyncHealthIndicator(Collection<SharedRegion> regions, Duration maxHold, Scope scope) {
        this(regions, maxHold, scope, System::nanoTime, true);
    }

    /**
     * Creates the indicator.
     *
     * @param regions the regions to watch
     * @param maxHold the longest healthy write hold
     * @param scope which problems make it DOWN
     * @param nanoTime the clock, in nanoseconds
     * @param sampleInBackground whether {@link #start()} starts sampling between health checks
     */
    HostsyncHealthIndicator(Collection<SharedRegion> regions, Duration maxHold, Scope scope, LongSupplier nanoTime,
            boolean sampleInBackground) {
        super("hostsync health check failed");
        if (maxHold == null || maxHold.isNegative()) {
            throw new IllegalArgumentException("hostsync.health.max-hold must be zero or more, such as 30s, but was "
                    + maxHold);
        }
        regions.forEach((region) -> this.regions.putIfAbsent(region.name(), region));
        this.maxHold = maxHold;
        this.scope = scope;
        this.nanoTime = nanoTime;
        this.sampleInBackground = sampleInBackground;
    }

    /**
     * Starts sampling the locks in the background, on one daemon thread.
     */
    @Override
    public synchronized void start() {
        if (this.sampleInBackground && this.sampler == null) {
            this.sampler = startSampler(sampleInterval(this.maxHold));
        }
    }

    /**
     * Stops the background sampler; health checks still sample.
     */
    @Override
    public synchronized void stop() {
        if (this.sampler != null) {
            this.sampler.shutdownNow();
            this.sampler = null;
        }
    }

    /**
     * Tells whether the background sampler runs.
     *
     * @return {@code true} between {@link #start()} and {@link #stop()}
     */
    @Override
    public synchronized boolean isRunning() {
        return this.sampler != null;
    }

    /**
     * Returns how often the background sampler looks at the locks.
     *
     * @param maxHold the longest healthy write hold
     * @return a tenth of it, at least {@value #MIN_SAMPLE_INTERVAL_MILLIS} ms
     */
    static Duration sampleInterval(Duration maxHold) {
        return Duration.ofMillis(Math.max(MIN_SAMPLE_INTERVAL_MILLIS, maxHold.toMillis() / 10));
    }

    private ScheduledExecutorService startSampler(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "hostsync-health-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::sampleQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return executor;
    }

    /** A failing task would never run again: the next health check reports the failure instead. */
    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException ex) {
            logger.debug("hostsync health sample failed", ex);
        }
    }

    /**
     * Looks at the writer of every lock once, recording when each write hold was first seen.
     */
    void sample() {
        long now = this.nanoTime.getAsLong();
        this.regions.forEach((regionName, region) -> {
            if (region.failure().isPresent()) {
                return; // its locks refuse: the health check reports the loss instead
            }
            for (String lockName : region.lockNames()) {
                observe(regionName, lockName, region.lock(lockName).holders(), now);
            }
        });
    }

    /**
     * Records the lock's current write hold, if any, keeping the first-seen time of a hold seen
     * before.
     *
     * @return the write hold, or {@code null} if no live process owns the write lock
     */
    private @Nullable WriteHold observe(String region, String lock, List<LockHolder> holders, long now) {
        LockHolder writer = holders.stream().filter(LockHolder::writer).findFirst().orElse(null);
        synchronized (this.writeHolds) {
            Map<String, WriteHold> locks = this.writeHolds.computeIfAbsent(region, (name) -> new HashMap<>());
            if (writer == null) {
                locks.remove(lock);
                return null;
            }
            WriteHold seen = locks.get(lock);
            if (seen != null && seen.slot() == writer.slot()
                    && seen.writeAcquisitions() == writer.writeAcquisitions()) {
                return seen;
            }
            WriteHold hold = new WriteHold(writer.slot(), writer.writeAcquisitions(), now);
            locks.put(lock, hold);
            return hold;
        }
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long now = this.nanoTime.getAsLong();
        Problems problems = new Problems();
        Map<String, Object> regionDetails = new LinkedHashMap<>();
        this.regions.forEach((name, region) -> regionDetails.put(name, check(region, now, problems)));
        List<String> down = new ArrayList<>(problems.ofProcess);
        List<String> listed = problems.ofHost;
        if (this.scope == Scope.HOST) {
            down.addAll(problems.ofHost);
            listed = List.of();
        }
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("problems", down);
        }
        if (!listed.isEmpty()) {
            builder.withDetail("hostProblems", listed);
        }
        builder.withDetail("scope", this.scope.name().toLowerCase(Locale.ROOT))
                .withDetail("maxHoldMillis", this.maxHold.toMillis())
                .withDetail("regions", regionDetails);
    }

    private Map<String, Object> check(SharedRegion region, long now, Problems problems) {
        Optional<String> failure = region.failure();
        if (failure.isPresent()) {
            problems.add(Scope.PROCESS, failure.get());
            return Map.of("lost", failure.get());
        }
        Map<Integer, Participant> participants = new HashMap<>();
        region.participants().forEach((participant) -> participants.put(participant.slot(), participant));
        Map<String, Object> locks = new LinkedHashMap<>();
        for (String lockName : region.lockNames()) {
            RWLock lock = region.lock(lockName);
            LockStatistics statistics = lock.hostStatistics();
            WriteHold hold = observe(region.name(), lockName, lock.holders(), now);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", state(statistics));
            details.put("readHolds", statistics.readHolds());
            details.put("waitingReaders", statistics.waitingReaders());
            details.put("waitingWriters", statistics.waitingWriters());
            details.put("recoveries", statistics.recoveries());
            details.put("possiblyTorn", statistics.possiblyTorn());
            if (statistics.possiblyTorn()) {
                problems.add(Scope.HOST, "Lock '" + lockName + "' of region '" + region.name()
                        + "' is possibly torn: a writer died while holding it, so the data it protects may be half"
                        + " written. Check or repair the data, then " + ACKNOWLEDGE + ".");
            }
            if (statistics.writerSlot() >= 0) {
                details.put("writerSlot", statistics.writerSlot());
            }
            if (hold != null) {
                Participant writer = participants.get(hold.slot());
                long heldMillis = TimeUnit.NANOSECONDS.toMillis(now - hold.firstSeenNanos());
                if (writer != null) {
                    details.put("writerPid", writer.pid());
                    details.put("writerHost", writer.host());
                }
                details.put("heldForAtLeastMillis", heldMillis);
                if (now - hold.firstSeenNanos() > this.maxHold.toNanos()) {
                    Scope ofWhom = (writer != null && writer.self()) ? Scope.PROCESS : Scope.HOST;
                    problems.add(ofWhom, "Lock '" + lockName + "' of region '" + region.name()
                            + "' has been write-held by " + describe(hold.slot(), writer) + " for at least "
                            + heldMillis
                            + " ms, longer than hostsync.health.max-hold (" + this.maxHold.toMillis() + " ms).");
                }
            }
            locks.put(lockName, details);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("participants", participants.size());
        details.put("locks", locks);
        return details;
    }

    private static String state(LockStatistics statistics) {
        if (statistics.writerSlot() >= 0) {
            return "write";
        }
        return (statistics.readHolds() > 0) ? "read" : "free";
    }

    private static String describe(int slot, @Nullable Participant participant) {
        return (participant != null) ? "slot " + slot + " (pid " + participant.pid() + " on " + participant.host() + ")"
                : "slot " + slot;
    }

    /**
     * Stops the background sampler, as {@link #stop()} does.
     */
    @Override
    public void close() {
        stop();
    }

    /** The problems found by one health check: those of this process, and those of the host. */
    private static final class Problems {

        private final List<String> ofProcess = new ArrayList<>();

        private final List<String> ofHost = new ArrayList<>();

        void add(Scope scope, String problem) {
            ((scope == Scope.PROCESS) ? this.ofProcess : this.ofHost).add(problem);
        }
    }

    /**
     * One write hold: the writer's slot and write acquisitions identify it.
     *
     * @param slot the writer's slot
     * @param writeAcquisitions the writer's write acquisitions when seen
     * @param firstSeenNanos when a sample first saw it
     */
    private record WriteHold(int slot, long writeAcquisitions, long firstSeenNanos) {
    }
}
