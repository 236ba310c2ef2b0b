package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that works on a region's default lock, for the tests across processes. Arguments:
 * directory, region name, worker id, mode, threads, operations per thread (0: until told to stop
 * or killed), microseconds to spend inside each lock.
 *
 * <p>Modes: {@code mixed} (one write in ten), {@code reads} (reads only), {@code writes} (writes
 * only), {@code hold-read} and {@code hold-write} (take the lock, stay inside, again and again).
 *
 * <p>Writers rewrite a record of {@link #WORDS} longs word by word, between raising and lowering a
 * "dirty" word, and count their writes in a shared counter: none of it atomic, so only the lock
 * keeps it consistent. Readers check the record. A writer that finds the lock possibly torn
 * repairs the record and marks the lock consistent; finding the record dirty without the torn
 * mark is a violation (a writer died mid-write and nobody was told).
 *
 * <p>Protocol: prints {@code READY}, waits for {@code go}, works, prints
 * {@code DONE ops=.. writes=.. violations=.. torn=..}, then waits for its input to close.
 */
public final class LockWorker {

    /** Longs in the record writers rewrite. */
    static final int WORDS = 8;
    /** Offset in the heap of the record (the heap, not the data area, whose start is the directory: its entries must stay intact). */
    static final int RECORD = 0;
    /** Offset in the heap of the shared write counter. */
    static final int WRITES = 128;
    /** Offset in the heap of the dirty word. */
    static final int DIRTY = 192;
    /** Offset in the heap of the per-worker progress counters, one cache line each. */
    static final int PROGRESS = 256;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    private final ByteBuffer buffer;
    private final int data;
    private final RWLock lock;
    private final int id;
    private final long insideNanos;
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong tornSeen = new AtomicLong();
    private volatile boolean stopped;

    LockWorker(SharedRegion region, int id, long insideMicros) {
        this.buffer = region.buffer();
        this.data = (int) region.header().heapOffset();
        this.lock = region.lock();
        this.id = id;
        this.insideNanos = TimeUnit.MICROSECONDS.toNanos(insideMicros);
    }

    /**
     * Runs the worker.
     *
     * @param args directory, name, id, mode, threads, operations, inside-micros, and optionally the backend
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Backend backend = args.length > 7 ? Backend.fromConfigName(args[7]) : Backend.ROBUST;
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0]))
                .backend(backend).build());
        LockWorker worker = new LockWorker(region, Integer.parseInt(args[2]), Long.parseLong(args[6]));
        String mode = args[3];
        int threads = Integer.parseInt(args[4]);
        long perThread = Long.parseLong(args[5]);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY slot=" + region.slot());
        if (!"go".equals(input.readLine())) {
            return;
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> worker.work(mode, perThread), "worker-" + t);
            thread.start();
            workers.add(thread);
        }
        if (perThread == 0) {
            Thread stopper = new Thread(() -> {
                try {
                    while (!"stop".equals(input.readLine())) {
                        // wait for the word
                    }
                } catch (java.io.IOException e) {
                    // input closed: stop too
                }
                worker.stopped = true;
            });
            stopper.setDaemon(true);
            stopper.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        System.out.println("DONE ops=" + worker.operations + " writes=" + worker.writes + " violations="
                + worker.violations + " torn=" + worker.tornSeen);
        while (input.readLine() != null) {
            // keep the region open until the test lets go
        }
        region.close();
    }

    void work(String mode, long count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; count == 0 ? !stopped : i < count; i++) {
            switch (mode) {
                case "mixed" -> {
                    if (random.nextInt(10) == 0) {
                        write();
                    } else {
                        read();
                    }
                }
                case "reads", "hold-read" -> read();
                case "writes", "hold-write" -> write();
                default -> throw new IllegalArgumentException(mode);
            }
            operations.incrementAndGet();
            int progress = data + PROGRESS + id * 64;
            LONGS.setOpaque(buffer, progress, (long) LONGS.getOpaque(buffer, progress) + 1);
        }
    }

    private void read() {
        lock.readLock().lock();
        try {
            boolean torn = lock.isPossiblyTorn();
            long first = buffer.getLong(data + RECORD);
            for (int word = 1; word < WORDS; word++) {
                stay();
                if (buffer.getLong(data + RECORD + word * Long.BYTES) != first && !torn) {
                    violations.incrementAndGet();
                }
            }
            if ((long) LONGS.getVolatile(buffer, data + DIRTY) != 0 && !torn) {
                violations.incrementAndGet();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private void write() {
        lock.writeLock().lock();
        try {
            if (lock.isPossiblyTorn()) {
                tornSeen.incrementAndGet();
                repair();
                lock.markConsistent();
            } else if ((long) LONGS.getVolatile(buffer, data + DIRTY) != 0) {
                violations.incrementAndGet();
                repair();
            }
            LONGS.setVolatile(buffer, data + DIRTY, 1L);
            long next = buffer.getLong(data + RECORD) + 1;
            for (int word = 0; word < WORDS; word++) {
                buffer.putLong(data + RECORD + word * Long.BYTES, next);
                stay();
            }
            buffer.putLong(data + WRITES, buffer.getLong(data + WRITES) + 1);
            writes.incrementAndGet();
            LONGS.setRelease(buffer, data + DIRTY, 0L);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void repair() {
        long first = buffer.getLong(data + RECORD);
        for (int word = 1; word < WORDS; word++) {
            buffer.putLong(data + RECORD + word * Long.BYTES, first);
        }
        LONGS.setRelease(buffer, data + DIRTY, 0L);
    }

    private void stay() {
        if (insideNanos > 0) {
            long until = System.nanoTime() + insideNanos / WORDS;
            if (insideNanos >= 1_000_000) {
                LockSupport.parkNanos(insideNanos / WORDS);
            } else {
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Reads the shared write counter. */
    static long writes(SharedRegion region) {
        return region.buffer().getLong((int) region.header().heapOffset() + WRITES);
    }

    /** Reads a worker's progress counter. */
    static long progress(SharedRegion region, int id) {
        return (long) LONGS.getOpaque(region.buffer(), (int) region.header().heapOffset() + PROGRESS + id * 64);
    }

    /** Whether the record is consistent and not dirty. */
    static boolean consistent(SharedRegion region) {
        ByteBuffer buffer = region.buffer();
        int data = (int) region.header().heapOffset();
        for (int word = 1; word < WORDS; word++) {
            if (buffer.getLong(data + RECORD + word * Long.BYTES) != buffer.getLong(data + RECORD)) {
                return false;
            }
        }
        return buffer.getLong(data + DIRTY) == 0;
    }

    /** Whether the dirty word is raised. */
    static boolean dirty(SharedRegion region) {
        return (long) LONGS.getVolatile(region.buffer(), (int) region.header().heapOffset() + DIRTY) != 0;
    }

    /** Makes the record consistent again; the caller holds the write lock. */
    static void repair(SharedRegion region) {
        new LockWorker(region, 0, 0).repair();
    }
}
