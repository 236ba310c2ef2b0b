package io.hostsync.autoconfigure.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.hostsync.SharedRegion;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The cohort locks of every region of the application, opened when first asked for: what
 * {@code @ReadGuarded}, {@code @WriteGuarded} and the {@link CohortLockRegistry} take when
 * {@code hostsync.cohort.engine} is set.
 */
public final class HostsyncCohorts implements DisposableBean {

    private final ListableBeanFactory beanFactory;

    private final RemoteLease.Factory leases;

    private final CohortSettings settings;

    private final Map<String, CohortLocks> regions = new ConcurrentHashMap<>();

    private final List<Consumer<CohortCounters>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates the cohorts of the regions of a bean factory.
     *
     * @param beanFactory where the {@link SharedRegion} beans are
     * @param leases the lock engine's leases
     * @param settings how the locks behave
     */
    public HostsyncCohorts(ListableBeanFactory beanFactory, RemoteLease.Factory leases, CohortSettings settings) {
        this.beanFactory = beanFactory;
        this.leases = leases;
        this.settings = settings;
    }

    /**
     * Returns the cohort lock of a named lock of a region.
     *
     * @param region the region's name
     * @param lock the lock's name
     * @return the cohort lock
     * @throws IllegalArgumentException if no region bean has that name
     */
    public CohortLock lock(String region, String lock) {
        return this.regions.computeIfAbsent(region, this::open).lock(lock);
    }

    /**
     * Returns the cohort lock of one key of a lock family of a region (see
     * {@link CohortLocks#lock(String, Object)}): a new instance each time, to hold on to until
     * released. Keyed locks are not among {@link #locks()}: they come and go.
     *
     * @param region the region's name
     * @param family the family's name
     * @param key the key
     * @return the cohort lock
     * @throws IllegalArgumentException if no region bean has that name, or the family or key is refused
     */
    public CohortLock lock(String region, String family, Object key) {
        return this.regions.computeIfAbsent(region, this::open).lock(family, key);
    }

    /**
     * The cohort locks opened so far.
     *
     * @return the locks, of every region
     */
    public List<CohortLock> locks() {
        List<CohortLock> locks = new ArrayList<>();
        this.regions.values().forEach((cohorts) -> locks.addAll(cohorts.locks()));
        return locks;
    }

    /**
     * What this process counted, per named lock and per family of keyed locks opened so far.
     *
     * @return the counters, of every region
     */
    List<CohortCounters> counters() {
        List<CohortCounters> counters = new ArrayList<>();
        this.regions.values().forEach((cohorts) -> counters.addAll(cohorts.counters()));
        return counters;
    }

    /**
     * Calls a listener with the counters of each named lock and family of keyed locks opened so far,
     * and of each opened later (the meters).
     *
     * @param listener what to call
     */
    void onCounters(Consumer<CohortCounters> listener) {
        this.listeners.add(listener);
        counters().forEach(listener);
    }

    /**
     * The keyed records of one family the host of a region has now.
     *
     * @param region the region's name
     * @param family the family's name
     * @return how many keys of the family the host holds the lease of, or uses
     */
    int keyedRecords(String region, String family) {
        CohortLocks locks = this.regions.get(region);
        return (locks != null) ? locks.keyedRecords(family) : 0;
    }

    private CohortLocks open(String name) {
        for (SharedRegion region : this.beanFactory.getBeansOfType(SharedRegion.class).values()) {
            if (region.name().equals(name)) {
                CohortLocks locks = new CohortLocks(region, this.leases, this.settings);
                locks.onCreated((counters) -> this.listeners.forEach((listener) -> listener.accept(counters)));
                return locks;
            }
        }
        throw new IllegalArgumentException("There is no region named '" + name + "' for a cohort lock; configure"
                + " hostsync.regions." + name + ", or name a configured region.");
    }

    @Override
    public void destroy() {
        this.regions.values().forEach(CohortLocks::close);
    }
}
