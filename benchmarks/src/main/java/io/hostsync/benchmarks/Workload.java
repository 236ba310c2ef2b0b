package io.hostsync.benchmarks;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * What each participant of a benchmark does with the lock, step by step: the measured thread
 * runs one step per JMH operation, the other participants (threads or {@link Partner}
 * processes) run the same steps in a loop. One definition for all of them, so that every
 * contender and every participant does exactly the same work.
 */
enum Workload {

    /** Read lock, then unlock, nothing between. */
    READ_PAIRS("read-pairs") {
        @Override
        long step(Lock read, Lock write, long[] data, long operation) {
            return pair(read);
        }
    },

    /**
     * Nine reads for one write: every tenth operation takes the write lock and increments a
     * word, the others take the read lock and read it.
     */
    MIXED_90_10("mixed-90-10") {
        @Override
        long step(Lock read, Lock write, long[] data, long operation) {
            return mixed(read, write, data, operation, 10);
        }
    },

    /** 99 reads for one write: as {@link #MIXED_90_10}, with every hundredth operation a write. */
    MIXED_99_1("mixed-99-1") {
        @Override
        long step(Lock read, Lock write, long[] data, long operation) {
            return mixed(read, write, data, operation, 100);
        }
    };

    private final String id;

    Workload(String id) {
        this.id = id;
    }

    /** @return the name a partner process is given */
    String id() {
        return id;
    }

    /**
     * One step.
     *
     * @param data the word the mixed workload protects (one per process)
     * @param operation how many steps this participant has done before
     * @return something the JIT cannot drop
     */
    abstract long step(Lock read, Lock write, long[] data, long operation);

    /**
     * Runs steps until {@code stop} says so.
     *
     * @return the number of steps done
     */
    long runUntil(ReadWriteLock lock, BooleanSupplier stop) {
        Lock read = lock.readLock();
        Lock write = lock.writeLock();
        long[] data = new long[1];
        long operations = 0;
        while (!stop.getAsBoolean()) {
            step(read, write, data, operations++); // the lock calls are what must not be optimised away, and cannot be
        }
        return operations;
    }

    /**
     * @param writePercent 10 or 1
     * @return the mixed workload with that share of writes
     */
    static Workload mixedWithWritePercent(int writePercent) {
        return switch (writePercent) {
            case 10 -> MIXED_90_10;
            case 1 -> MIXED_99_1;
            default -> throw new IllegalArgumentException("writePercent=" + writePercent + ": give 10 or 1");
        };
    }

    /** @return the workload of that {@link #id()} */
    static Workload of(String id) {
        for (Workload workload : values()) {
            if (workload.id.equals(id)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("Unknown workload " + id);
    }

    /**
     * Locks and unlocks, nothing between.
     *
     * @param lock the read or the write half
     * @return 0
     */
    static long pair(Lock lock) {
        lock.lock();
        lock.unlock();
        return 0;
    }

    /**
     * The mixed workloads' step: a write every {@code writeEvery} operations, reads between.
     *
     * @return the protected word as read or written
     */
    static long mixed(Lock read, Lock write, long[] data, long operation, int writeEvery) {
        if (operation % writeEvery == 0) {
            write.lock();
            try {
                return ++data[0];
            } finally {
                write.unlock();
            }
        }
        read.lock();
        try {
            return data[0];
        } finally {
            read.unlock();
        }
    }
}
