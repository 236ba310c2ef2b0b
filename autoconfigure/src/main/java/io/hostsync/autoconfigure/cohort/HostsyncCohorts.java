package io.hostsync.autoconfigure.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private final List<Consumer<CohortLock>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        CohortLocks locks = this.regions.computeIfAbsent(region, this::open);
        boolean opened = locks.locks().stream().noneMatch((known) -> known.hostLock().name().equals(lock));
        CohortLock cohortLock = locks.lock(lock);
        if (opened) {
            this.listeners.forEach((listener) -> listener.accept(cohortLock));
        }
        return cohortLock;
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
     * Calls a listener for each lock opened so far and each lock opened later (metrics).
     *
     * @param listener what to call
     */
    public void onOpen(Consumer<CohortLock> listener) {
        this.listeners.add(listener);
        locks().forEach(listener);
    }

    private CohortLocks open(String name) {
        for (SharedRegion region : this.beanFactory.getBeansOfType(SharedRegion.class).values()) {
            if (region.name().equals(name)) {
                return new CohortLocks(region, this.leases, this.settings);
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
