package io.hostsync.state;

/**
 * Told of every operation a {@link SharedMap} of this JVM completes, for metrics (the Spring Boot
 * starter counts them with Micrometer). Installed with
 * {@link SharedState#recordMapOperations(java.util.function.Function)}; without one, a map calls
 * {@link #NONE}, which does nothing and which the JIT compiles away.
 *
 * <p>Called on the calling thread, after the operation, outside the segment's lock: an
 * implementation must be fast and must not throw.
 */
@FunctionalInterface
public interface MapOperationRecorder {

    /** Records nothing: the recorder of every map until another is installed. */
    MapOperationRecorder NONE = (operation, hit) -> {
    };

    /**
     * Records one operation that returned normally.
     *
     * @param operation what was done
     * @param hit whether the key had a value when the operation ran (a get that found it, a put
     *     that replaced, a remove that removed...)
     */
    void record(MapOperation operation, boolean hit);
}
