package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that opens a region, lets threads take its write lock, and closes the region under
 * them at a random moment, again and again: the other side of {@link CloseWhileAcquiringTest}.
 * Arguments: directory, region name, worker id, threads, milliseconds to run, backend.
 *
 * <p>Inside the write lock a thread raises a shared "inside" word with a compare-and-set from 0
 * (failing means someone else is inside: an overlap), increments a shared counter without any
 * atomicity (two writers at once lose increments), stays a moment (often several milliseconds,
 * so that a close lands while it is inside), and lowers the word again. An increment counts as
 * acknowledged once written. Prints {@code DONE acks=.. overlaps=.. rounds=.. stuck=.. errors=..}.
 */
public final class CloseWorker {

    /** Offset in the heap (unused: no entries) of the "inside" word: the id + 1 of the thread's worker inside, or 0. */
    static final int INSIDE = 0;
    /** Offset in the heap of the shared counter. */
    static final int COUNTER = 64;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong overlaps = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /**
     * Runs the worker.
     *
     * @param args directory, name, id, threads, milliseconds, backend
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        RegionOptions options = RegionOptions.builder(args[1]).directory(Path.of(args[0]))
                .backend(Backend.fromConfigName(args[5])).build();
        long id = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        CloseWorker worker = new CloseWorker();
        int rounds = 0;
        int stuck = 0;
        System.out.println("READY");
        while (System.nanoTime() < end && stuck == 0) {
            rounds++;
            SharedRegion region = SharedRegion.open(options);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long me = id * 100 + t + 1;
                Thread thread = new Thread(() -> worker.work(region, me), "worker-" + t);
                thread.setDaemon(true);
                thread.start();
                workers.add(thread);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(5, 120)));
            region.close();
            for (Thread thread : workers) {
                thread.join(10_000);
                if (thread.isAlive()) {
                    stuck++;
                    System.err.println("stuck after close: " + thread + " "
                            + java.util.Arrays.toString(thread.getStackTrace()));
                }
            }
        }
        System.out.println("DONE acks=" + worker.acks + " overlaps=" + worker.overlaps + " rounds=" + rounds
                + " stuck=" + stuck + " errors=" + worker.errors);
        System.in.read(); // let the test look before this process goes
    }

    private void work(SharedRegion region, long me) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        RWLock lock;
        ByteBuffer buffer;
        int data;
        try {
            lock = region.lock();
            buffer = region.buffer();
            data = (int) region.header().heapOffset(); // no entry is ever allocated: the heap is free for the test
        } catch (IllegalStateException closedAlready) {
            return;
        }
        while (true) {
            try {
                if (!lock.writeLock().tryLock(1, TimeUnit.SECONDS)) {
                    continue;
                }
            } catch (IllegalStateException closed) {
                return; // the region was closed while this thread asked for the lock
            } catch (Throwable e) {
                errors.incrementAndGet();
                e.printStackTrace();
                return;
            }
            try {
                boolean entered = LONGS.compareAndSet(buffer, data + INSIDE, 0L, me);
                if (!entered) {
                    overlaps.incrementAndGet();
                    System.err.println(
                            "overlap: " + me + " entered while " + (long) LONGS.getVolatile(buffer, data + INSIDE)
                                    + " was inside");
                }
                buffer.putLong(data + COUNTER, buffer.getLong(data + COUNTER) + 1);
                acks.incrementAndGet();
                if (random.nextBoolean()) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(500, 20_000)));
                } else {
                    for (int i = random.nextInt(200); i > 0; i--) {
                        Thread.onSpinWait();
                    }
                }
                if (entered && !LONGS.compareAndSet(buffer, data + INSIDE, me, 0L)) {
                    overlaps.incrementAndGet();
                    System.err.println("overlap: " + me + " found " + (long) LONGS.getVolatile(buffer, data + INSIDE)
                            + " inside when leaving");
                }
            } finally {
                try {
                    lock.writeLock().unlock();
                } catch (IllegalStateException closed) {
                    return; // today's code: the region was closed under this hold
                }
            }
        }
    }
}
