package io.hostsync.internal.lock;

/**
 * The 64-bit state word at the start of every lock record. The {@code robust} backend keeps its
 * whole protocol in it; the {@code posix} and {@code file} backends use only its {@link #TORN}
 * bit; the crash-safe {@link HostMutex} uses the same owner encoding ({@link #ownerBits}).
 *
 * <pre>
 *   bits  0-12  owner: the writer's slot + 1, 0 when no writer owns the lock
 *   bit     13  WRITER_WAITING: a writer waits; new readers defer to it
 *   bit     14  READERS_WAITING: readers wait; the releasing writer opens a reader phase
 *   bit     15  READER_PHASE: readers that waited go first; writers wait until they are in
 *   bit     16  TORN: a writer died while writing; cleared once the next writer says the
 *               data is consistent again
 *   bit     17  READERS_SLEEPING: a reader may sleep on the readers' futex word
 *   bit     18  WRITERS_SLEEPING: a writer waiting to own the lock may sleep on the writers' word
 *   bit     19  DRAINER_SLEEPING: the owner may sleep on the drain word until readers are out
 *               (for each: whoever changes what those sleepers wait for clears the bit, bumps
 *               their word and wakes them; see FutexWaiter)
 *   bits 32-63  the owner's slot generation (low 32 bits), so that a reused slot is not
 *               mistaken for the writer that died in it
 * </pre>
 *
 * Written only with compare-and-set (or atomic bitwise or), read with volatile loads: each change
 * is ordered with every other process's view of the lock.
 */
final class LockWord {

    static final long OWNER_MASK = (1L << 13) - 1;
    static final long WRITER_WAITING = 1L << 13;
    static final long READERS_WAITING = 1L << 14;
    static final long READER_PHASE = 1L << 15;
    static final long TORN = 1L << 16;
    static final long READERS_SLEEPING = 1L << 17;
    static final long WRITERS_SLEEPING = 1L << 18;
    static final long DRAINER_SLEEPING = 1L << 19;
    static final int GENERATION_SHIFT = 32;
    static final long GENERATION_MASK = 0xFFFF_FFFFL << GENERATION_SHIFT;

    private LockWord() {
    }

    /** The owner field of a slot's claim: slot + 1, and the low 32 bits of the generation above bit 32. */
    static long ownerBits(int slot, long generation) {
        return (slot + 1) | ((generation & 0xFFFF_FFFFL) << GENERATION_SHIFT);
    }

    /** The owning slot of an owner field, or -1 if none. */
    static int ownerSlot(long word) {
        return (int) (word & OWNER_MASK) - 1;
    }

    /**
     * The word once its owner was found dead: no owner, the waiters' flags kept, a reader phase
     * opened if readers wait, and the torn mark set if it died writing. The sleepers' bits are
     * cleared: whoever makes this change wakes every word.
     */
    static long afterDeadOwner(long word, boolean diedWriting) {
        long next = word & (WRITER_WAITING | READERS_WAITING | TORN);
        if ((word & READERS_WAITING) != 0) {
            next |= READER_PHASE;
        }
        return diedWriting ? next | TORN : next;
    }
}
