package io.hostsync.state;

import java.util.Locale;

/**
 * The operations of a {@link SharedMap} that a {@link MapOperationRecorder} counts: one per
 * {@link java.util.concurrent.ConcurrentMap} method that reads or changes one key. Bulk
 * operations (iteration, {@code size}, {@code clear}) are not counted.
 */
public enum MapOperation {

    /** {@link SharedMap#get} and {@link SharedMap#containsKey}. */
    GET,
    /** {@link SharedMap#put}, {@link SharedMap#set}, and {@code setValue} of an iterated entry. */
    PUT,
    /** {@link SharedMap#putIfAbsent}. */
    PUT_IF_ABSENT,
    /** {@link SharedMap#remove(Object)} and {@link SharedMap#remove(Object, Object)}. */
    REMOVE,
    /** {@link SharedMap#replace(Object, Object)} and {@link SharedMap#replace(Object, Object, Object)}. */
    REPLACE,
    /** {@link SharedMap#compute}. */
    COMPUTE,
    /** {@link SharedMap#computeIfAbsent}. */
    COMPUTE_IF_ABSENT,
    /** {@link SharedMap#computeIfPresent}. */
    COMPUTE_IF_PRESENT,
    /** {@link SharedMap#merge}. */
    MERGE;

    private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** @return the name as a meter tag value: {@code get}, {@code put-if-absent}, ... */
    public String tag() {
        return tag;
    }
}
