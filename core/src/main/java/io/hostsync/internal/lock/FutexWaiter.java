package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;

import io.hostsync.internal.os.Futex;
import java.nio.MappedByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the threads of this JVM wait for one {@code robust} lock: spin a little, then sleep on one
 * of the lock's shared futex {@linkplain Word words}, until the next liveness check is due at
 * most, asking the lock to check with the kernel that what blocks them is alive before the first
 * sleep and then once per liveness interval (counted from the last check, not from the last
 * wake-up).
 *
 * <h2>Why no wake-up is lost</h2>
 * A sleeper {@linkplain #sleepUnlessChanged reads the futex word first}, then announces itself
 * (sets a flag in shared memory with a sequentially consistent write), then checks once more that
 * it is still blocked, and sleeps only if the word still holds what it read. A waker changes
 * what sleepers wait for first, then clears the flag, bumps the word and wakes. Either the
 * sleeper's last check sees the change, or the waker sees the flag, and its bump comes after the
 * sleeper's read, so the kernel refuses the sleep ({@code EAGAIN}) or ends it. A wake meant for
 * someone else that lands in between also bumps the word: the sleeper returns and looks again
 * instead of sleeping with its flag cleared.
 *
 * <p>Platform threads sleep in {@code FUTEX_WAIT} themselves. Virtual threads (which must not
 * block their carrier in a system call) and interruptible or timed waits (which a futex sleep
 * would not notice) park in Java instead, and one daemon relay thread per word sleeps on the
 * futex for them and unparks them at every change of the word.
 */
final class FutexWaiter {

    /** Polls of the state before sleeping: enough to catch a handoff between running processes. */
    private static final int SPINS = 200;

    private final String lockName;
    private final long livenessNanos;
    private final Runnable checkLiveness;

    /**
     * @param lockName the lock's name, for messages
     * @param livenessNanos the longest time between two liveness checks of a waiter
     * @param checkLiveness asks the kernel whether the owner and the readers waited for are alive,
     *     and reclaims what the dead held
     */
    FutexWaiter(String lockName, long livenessNanos, Runnable checkLiveness) {
        this.lockName = lockName;
        this.livenessNanos = livenessNanos;
        this.checkLiveness = checkLiveness;
    }

    /**
     * One futex word of the lock: what one kind of waiter sleeps on.
     *
     * @param relayName the name of its relay thread
     * @param buffer the region's mapping
     * @param futex the offset of the word
     * @param futexAddress its native address
     * @param announce marks, in the lock's state, that someone may sleep on this word; must be a
     *     sequentially consistent write (or find the mark already there with a volatile read)
     * @return the word
     */
    Word word(String relayName, MappedByteBuffer buffer, int futex, long futexAddress, Runnable announce) {
        return new Word(relayName, buffer, futex, futexAddress, announce);
    }

    /** Starts one thread's wait, which began at {@code start} and may last {@code timeoutNanos} (negative: forever). */
    Wait begin(long start, long timeoutNanos, boolean interruptible) {
        return new Wait(start, timeoutNanos, interruptible);
    }

    /**
     * The one way to sleep on a futex word in hostsync: reads the word, announces the sleeper,
     * checks {@code blocked} a last time, and sleeps only while the word still holds what was read,
     * at most {@code nanos}. See the class comment for why this order cannot lose a wake-up.
     *
     * @param buffer the mapping
     * @param futex the word's offset
     * @param futexAddress its native address
     * @param announce the sequentially consistent write that tells wakers someone may sleep
     * @param blocked whether the caller still has to wait
     * @param nanos the longest sleep, positive
     */
    static void sleepUnlessChanged(MappedByteBuffer buffer, int futex, long futexAddress, Runnable announce,
            BooleanSupplier blocked, long nanos) {
        int seen = (int) INTS.getVolatile(buffer, futex); // before the last check: any wake from now on moves it
        announce.run();
        if (blocked.getAsBoolean()) {
            Futex.await(futexAddress, seen, nanos);
        }
    }

    /** One futex word, its sleepers' announcement, and the relay of the threads that park in Java for it. */
    final class Word {
        private final String relayName;
        private final MappedByteBuffer buffer;
        private final int futex;
        private final long futexAddress;
        private final Runnable announce;
        private final Set<Thread> parked = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean relayRunning = new AtomicBoolean();

        private Word(String relayName, MappedByteBuffer buffer, int futex, long futexAddress, Runnable announce) {
            this.relayName = relayName;
            this.buffer = buffer;
            this.futex = futex;
            this.futexAddress = futexAddress;
            this.announce = announce;
        }

        /** Bumps the word and wakes every process and thread sleeping on it. The caller changed what they wait for first. */
        void wakeAll() {
            INTS.getAndAdd(buffer, futex, 1);
            Futex.wakeAll(futexAddress);
        }

        /**
         * Bumps the word and wakes one process or thread sleeping on it: for waiters of whom only
         * one can proceed. The one woken must pass the turn on (see {@code RobustLock}). A relay
         * woken this way unparks every thread of its JVM parked on the word.
         */
        void wakeOne() {
            INTS.getAndAdd(buffer, futex, 1);
            Futex.wakeOne(futexAddress);
        }

        private void sleep(long nanos, BooleanSupplier blocked) {
            sleepUnlessChanged(buffer, futex, futexAddress, announce, blocked, nanos);
        }

        /**
         * Parks in Java until the relay sees the word move. The thread is in {@link #parked}
         * before it announces itself, so the relay's unpark after any later bump reaches it (an
         * unpark before the park is kept as a permit).
         */
        private void park(long nanos, BooleanSupplier blocked) {
            Thread self = Thread.currentThread();
            parked.add(self);
            try {
                startRelay();
                announce.run();
                if (blocked.getAsBoolean()) {
                    LockSupport.parkNanos(this, nanos);
                }
            } finally {
                parked.remove(self);
            }
        }

        private void startRelay() {
            if (!relayRunning.get() && relayRunning.compareAndSet(false, true)) {
                Thread relay = new Thread(this::relay, relayName);
                relay.setDaemon(true);
                relay.start();
            }
        }

        /**
         * Sleeps on the futex for the threads parked in Java, and unparks them all whenever the
         * word moved since the value read before the last unpark: every bump is followed by an
         * unpark of everyone parked before it.
         */
        private void relay() {
            int lastSeen = (int) INTS.getVolatile(buffer, futex) - 1;
            while (true) {
                while (!parked.isEmpty()) {
                    int seen = (int) INTS.getVolatile(buffer, futex);
                    if (seen == lastSeen) {
                        Futex.await(futexAddress, seen, livenessNanos);
                        seen = (int) INTS.getVolatile(buffer, futex);
                    }
                    lastSeen = seen;
                    parked.forEach(LockSupport::unpark);
                }
                relayRunning.set(false);
                if (parked.isEmpty() || !relayRunning.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    /** One thread's wait: spinning, sleeping, deadlines, interrupts and liveness checks. */
    final class Wait {

        /** Whether this wait has gone to sleep (or parked) at least once. */
        boolean slept() {
            return slept;
        }

        private final long deadline;
        private final boolean forever;
        private final boolean interruptible;
        private final boolean relay;
        private int spins;
        private long lastCheck;
        private boolean checked;
        private boolean slept;

        private Wait(long start, long timeoutNanos, boolean interruptible) {
            this.forever = timeoutNanos < 0;
            this.deadline = start + Math.max(timeoutNanos, 0);
            this.interruptible = interruptible;
            this.relay = interruptible || RecordedLock.isVirtual(Thread.currentThread());
        }

        /**
         * Waits a little on {@code word} while {@code blocked} holds: spins first (reading shared
         * memory only: no system call), then sleeps until woken or until the next liveness check
         * is due. Returns false when the time is up.
         */
        boolean pause(Word word, BooleanSupplier blocked) throws InterruptedException {
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException("Interrupted while waiting for lock '" + lockName + "'");
            }
            while (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                if (!blocked.getAsBoolean()) {
                    return true;
                }
            }
            long now = System.nanoTime();
            long remaining = forever ? Long.MAX_VALUE : deadline - now;
            if (remaining <= 0) {
                return false;
            }
            if (!checked || now - lastCheck >= livenessNanos) {
                checked = true;
                lastCheck = now;
                checkLiveness.run();
                if (!blocked.getAsBoolean()) {
                    return true;
                }
            }
            // Until the next check is due, not a full interval from now: wake-ups in between must
            // not postpone it (a dead holder would otherwise block for up to two intervals).
            long sleep = Math.min(remaining, lastCheck + livenessNanos - now);
            slept = true;
            if (relay) {
                word.park(sleep, blocked);
            } else {
                word.sleep(sleep, blocked);
            }
            return true;
        }
    }
}
