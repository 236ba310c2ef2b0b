package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;

import io.hostsync.internal.os.Futex;
import java.nio.MappedByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How the threads of this JVM wait for one {@code robust} lock: spin a little, then sleep on one
 * of the lock's shared futex {@linkplain Word words} until what they wait for may have changed.
 *
 * <h2>Liveness: one checker per JVM and lock</h2>
 * A holder killed with SIGKILL releases nothing, so somebody must ask the kernel, now and then,
 * whether the owner and the readers waited for are alive. A waiter does so once before its first
 * sleep (unless this JVM checked less than an interval ago); after that, one daemon thread per JVM
 * and lock, started by the first sleeper and ended an interval after the last one left, checks
 * once per liveness interval (counted from the last check by anyone in this JVM) for all of them,
 * and whatever it reclaims wakes the sleepers through the lock's words.
 * So the waiters themselves sleep until woken: blocked threads cost nothing per second, and the
 * checker costs the same for one waiter as for a hundred. The checker is not one of the waiters
 * on purpose: a waiter leaves when it times out, is interrupted or gets the lock, and a role
 * handed from waiter to waiter would need a wake-up aimed at one thread of this JVM, which a
 * shared futex cannot address. Sleeps still end after {@link #BACKSTOP_NANOS}: should the
 * checker ever stop (it cannot start, or the mapping under the words was replaced after a
 * truncation, so that wakes no longer reach the sleepers), a waiter that finds the last check
 * older than two intervals checks for itself and starts another checker.
 *
 * <p>Why not let the kernel say when the owner dies, with a blocking {@code F_OFD_SETLKW} on its
 * slot byte? Such a call can be neither interrupted nor timed out from Java, it would stay blocked
 * after the owner released normally (its process is alive), and while it holds the byte an
 * {@code F_OFD_GETLK} by anyone else would take the dead slot for alive.
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

    /**
     * The longest sleep of a waiter (and of a relay): only a safety net, for a checker that has
     * stopped; waking up is otherwise the wakers' and the checker's job.
     */
    static final long BACKSTOP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String lockName;
    private final String checkerName;
    private final long livenessNanos;
    private final Runnable checkLiveness;
    private final Runnable checkForSleepers;
    /** Threads of this JVM that have gone to sleep on the lock and not yet left their wait. */
    private final AtomicInteger sleepers = new AtomicInteger();
    private final AtomicBoolean checkerRunning = new AtomicBoolean();
    /** The last checker thread started, for {@link #addSleeper()} to wake; null before the first. */
    private volatile @Nullable Thread checker;
    /** When a thread of this JVM last asked the kernel about this lock's owner and readers. */
    private volatile long lastCheck;
    /** Whether the checker's last check failed: the sleepers then check, and fail, themselves. */
    private volatile boolean checkFailed;

    /**
     * @param lockName the lock's name, for messages
     * @param checkerName the name of the liveness checker's thread
     * @param livenessNanos the longest time between two liveness checks while someone waits
     * @param checkLiveness asks the kernel whether the owner and the readers waited for are alive,
     *     and reclaims what the dead held (and wakes whom that concerns); run by a waiter
     * @param checkForSleepers the same for the checker thread, which acts for the sleepers: must
     *     wake every sleeper when it fails, and once the region is closing or lost
     */
    FutexWaiter(String lockName, String checkerName, long livenessNanos, Runnable checkLiveness,
            Runnable checkForSleepers) {
        this.lockName = lockName;
        this.checkerName = checkerName;
        this.livenessNanos = livenessNanos;
        this.checkLiveness = checkLiveness;
        this.checkForSleepers = checkForSleepers;
        this.lastCheck = System.nanoTime() - livenessNanos;
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
                        Futex.await(futexAddress, seen, BACKSTOP_NANOS); // only to notice that nobody is parked
                        seen = (int) INTS.getVolatile(buffer, futex);
                    }
                    boolean moved = seen != lastSeen;
                    lastSeen = seen;
                    if (moved && parked.isEmpty()) {
                        // The wake may have been a waker's one wake, meant for a waiter that can go
                        // on: nobody here takes it, so pass it to another sleeper (at worst one
                        // spurious wake), or it stays asleep without its bit until its backstop.
                        Futex.wakeOne(futexAddress);
                    }
                    parked.forEach(LockSupport::unpark);
                }
                relayRunning.set(false);
                if (parked.isEmpty() || !relayRunning.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    /** Starts the liveness checker unless it runs. Cheap when it does: one volatile read. */
    private void ensureChecker() {
        if (!checkerRunning.get() && checkerRunning.compareAndSet(false, true)) {
            Thread thread = new Thread(this::checkWhileSleepers, checkerName);
            thread.setDaemon(true);
            checker = thread;
            thread.start();
        }
    }

    /** Counts a new sleeper; the first one wakes a lingering checker, so that the next check is on time. */
    private void addSleeper() {
        if (sleepers.getAndIncrement() == 0) {
            Thread lingering = checker;
            if (lingering != null) {
                LockSupport.unpark(lingering);
            }
        }
    }

    /**
     * The checker's loop: one liveness check per interval while threads of this JVM sleep on the
     * lock; it lingers one more interval after the last one left, so that a lock contended now and
     * then does not start a thread per wait. Ends the way a relay does, so that a sleeper that
     * arrives as it ends finds it running or starts another.
     */
    private void checkWhileSleepers() {
        try {
            checkWhileSleepersUntilIdle();
        } catch (RuntimeException | Error e) {
            checkerRunning.set(false); // died (an asynchronous fault): the next sleeper starts another
            throw e;
        }
    }

    private void checkWhileSleepersUntilIdle() {
        while (true) {
            long idleSince = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                if (sleepers.get() == 0) {
                    if (now - idleSince >= livenessNanos) {
                        break;
                    }
                    LockSupport.parkNanos(this, idleSince + livenessNanos - now); // a new first sleeper unparks it
                    continue;
                }
                idleSince = now;
                long due = lastCheck + livenessNanos;
                if (now - due < 0) {
                    LockSupport.parkNanos(this, due - now);
                    continue;
                }
                lastCheck = now;
                try {
                    checkForSleepers.run();
                    checkFailed = false;
                } catch (RuntimeException | InternalError e) {
                    // The region lost or corrupted under the check, which woke the sleepers: they
                    // check for themselves and fail with the error in their own threads.
                    checkFailed = true;
                }
            }
            checkerRunning.set(false);
            if (sleepers.get() == 0 || !checkerRunning.compareAndSet(false, true)) {
                return;
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
        private boolean slept;

        private Wait(long start, long timeoutNanos, boolean interruptible) {
            this.forever = timeoutNanos < 0;
            this.deadline = start + Math.max(timeoutNanos, 0);
            this.interruptible = interruptible;
            this.relay = interruptible || RecordedLock.isVirtual(Thread.currentThread());
        }

        /**
         * Waits a little on {@code word} while {@code blocked} holds: spins first (reading shared
         * memory only: no system call), then sleeps until woken, the deadline, or the backstop.
         * Returns false when the time is up.
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
            // Before the first sleep, and whenever the checker failed or seems to have stopped: check here.
            long sinceCheck = now - lastCheck;
            if (!slept ? sinceCheck >= livenessNanos : sinceCheck >= 2 * livenessNanos || checkFailed) {
                lastCheck = now;
                checkLiveness.run();
                if (!blocked.getAsBoolean()) {
                    return true;
                }
            }
            if (!slept) {
                slept = true;
                addSleeper();
            }
            ensureChecker();
            long sleep = Math.min(remaining, BACKSTOP_NANOS);
            if (relay) {
                word.park(sleep, blocked);
            } else {
                word.sleep(sleep, blocked);
            }
            return true;
        }

        /** Ends the wait, whatever its outcome: the checker stops once no sleeper is left. */
        void end() {
            if (slept) {
                sleepers.getAndDecrement();
            }
        }
    }
}
