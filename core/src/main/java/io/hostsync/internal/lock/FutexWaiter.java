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
 * How the threads of this JVM wait for one {@code robust} lock: spin a little, then sleep on the
 * lock record's shared futex word, at most one liveness interval at a time, asking the lock to
 * check with the kernel that what blocks them is alive before the first sleep and after every
 * interval.
 *
 * <p>Platform threads sleep in {@code FUTEX_WAIT} themselves. Virtual threads (which must not
 * block their carrier in a system call) and interruptible waits (which a futex sleep would not
 * notice) park in Java instead, and one daemon relay thread per lock sleeps on the futex for them
 * and unparks them at every change of the word.
 *
 * <p>The lock announces a sleeper before the sleeper reads the futex word ({@code announce});
 * whoever changes what sleepers wait for bumps the word and wakes them ({@link #wakeAll()}).
 */
final class FutexWaiter {

    /** Polls of the state before sleeping: enough to catch a handoff between running processes. */
    private static final int SPINS = 200;

    private final String lockName;
    private final String relayName;
    private final MappedByteBuffer buffer;
    private final int futex;
    private final long futexAddress;
    private final long livenessNanos;
    private final Runnable announce;
    private final Runnable checkLiveness;

    /** Virtual threads (and interruptible waits) park in Java; one platform thread sleeps on the futex for them. */
    private final Set<Thread> parked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean relayRunning = new AtomicBoolean();

    /**
     * @param lockName the lock's name, for messages
     * @param relayName the relay thread's name
     * @param buffer the region's mapping
     * @param futex the offset of the futex word
     * @param futexAddress its native address
     * @param livenessNanos the longest sleep between liveness checks
     * @param announce marks, in the lock's state, that someone may sleep on the futex word
     * @param checkLiveness asks the kernel whether the owner and the readers waited for are alive,
     *     and reclaims what the dead held
     */
    FutexWaiter(String lockName, String relayName, MappedByteBuffer buffer, int futex, long futexAddress,
            long livenessNanos, Runnable announce, Runnable checkLiveness) {
        this.lockName = lockName;
        this.relayName = relayName;
        this.buffer = buffer;
        this.futex = futex;
        this.futexAddress = futexAddress;
        this.livenessNanos = livenessNanos;
        this.announce = announce;
        this.checkLiveness = checkLiveness;
    }

    /** Starts one thread's wait, which began at {@code start} and may last {@code timeoutNanos} (negative: forever). */
    Wait begin(long start, long timeoutNanos, boolean interruptible) {
        return new Wait(start, timeoutNanos, interruptible);
    }

    /** Bumps the futex word and wakes every process and thread sleeping on it. */
    void wakeAll() {
        INTS.getAndAdd(buffer, futex, 1);
        Futex.wakeAll(futexAddress);
    }

    /** One thread's wait: spinning, sleeping, deadlines, interrupts and liveness checks. */
    final class Wait {
        private final long deadline;
        private final boolean forever;
        private final boolean interruptible;
        private final boolean relay;
        private int spins;
        private long lastCheck;
        private boolean checked;

        private Wait(long start, long timeoutNanos, boolean interruptible) {
            this.forever = timeoutNanos < 0;
            this.deadline = start + Math.max(timeoutNanos, 0);
            this.interruptible = interruptible;
            this.relay = interruptible || RecordedLock.isVirtual(Thread.currentThread());
        }

        /**
         * Waits a little while {@code blocked} holds. Returns false when the time is up.
         */
        boolean pause(BooleanSupplier blocked) throws InterruptedException {
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
            long sleep = Math.min(remaining, livenessNanos);
            if (relay) {
                parkOnRelay(sleep, blocked);
            } else {
                announce.run();
                int seen = (int) INTS.getVolatile(buffer, futex);
                if (blocked.getAsBoolean()) {
                    Futex.await(futexAddress, seen, sleep);
                }
            }
            return true;
        }
    }

    private void parkOnRelay(long sleepNanos, BooleanSupplier blocked) {
        Thread self = Thread.currentThread();
        parked.add(self);
        try {
            startRelay();
            announce.run();
            if (blocked.getAsBoolean()) {
                LockSupport.parkNanos(this, sleepNanos);
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

    /** Sleeps on the futex for the threads parked in Java, and unparks them at every change. */
    private void relay() {
        int lastSeen = (int) INTS.getVolatile(buffer, futex) - 1;
        while (true) {
            while (!parked.isEmpty()) {
                announce.run();
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
