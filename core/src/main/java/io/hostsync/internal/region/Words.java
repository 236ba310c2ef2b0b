package io.hostsync.internal.region;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Atomic access to the 64-bit and 32-bit words of a mapped region, in the region's byte order
 * ({@link RegionLayout#BYTE_ORDER}): the one pair of {@link VarHandle}s every part of hostsync
 * uses on shared memory.
 *
 * <p>Every word that crosses processes is written with release (or volatile) semantics and read
 * with acquire (or volatile) semantics, so that what was written before it is visible to a
 * process that sees its new value; counters that are only reported use opaque access. Offsets
 * must be aligned to the word's size: a misaligned access throws
 * {@link IllegalStateException}.
 */
public final class Words {

    /** {@code long} words of a {@link java.nio.ByteBuffer}, at byte offsets. */
    public static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    /** {@code int} words of a {@link java.nio.ByteBuffer}, at byte offsets. */
    public static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, RegionLayout.BYTE_ORDER);

    private Words() {
    }
}
