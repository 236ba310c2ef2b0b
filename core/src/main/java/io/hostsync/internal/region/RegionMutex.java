package io.hostsync.internal.region;

/**
 * A crash-safe mutex in a region's memory, as the region layer sees it: taken and given back. The
 * lock layer makes it ({@link RegionHooks#mutex}), so that the region layer does not depend on
 * the layer above it.
 */
public interface RegionMutex {

    /** Takes the mutex, waiting as long as it takes; a dead owner is replaced. */
    void lock();

    /** Gives the mutex back. */
    void unlock();
}
