/**
 * Shared state in a region: {@link io.hostsync.state.SharedState} finds or creates, by name,
 * counters, arrays, typed values, raw bytes, semaphores and maps that every process opening the
 * region sees, and {@link io.hostsync.state.Codec}s turn values into bytes.
 */
@NullMarked
package io.hostsync.state;

import org.jspecify.annotations.NullMarked;
