package io.hostsync;

import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.RegionFile;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that works on keyed locks of the family {@code orders}, for the tests across
 * processes. Arguments: directory, region name, worker id, the region's maxLocks, mode, then the
 * mode's arguments.
 *
 * <ul>
 *   <li>{@code mixed threads operations hotKeys [prefixBytes]}: each operation write-locks either a key used
 *       once (distinct per process, thread and operation) or one of {@code hotKeys} shared keys;
 *       inside a shared key it raises the key's "inside" word in the heap (finding it raised is a
 *       violation: another holder is inside), and increments the key's counter non-atomically.
 *       Every key starts with {@code prefixBytes} x's (none by default), so that long keys, which
 *       differ only at their end, are tested the same way. Prints
 *       {@code DONE increments=.. violations=.. distinct=..}.</li>
 *   <li>{@code hold-write key} / {@code hold-read key}: takes the key's lock, prints
 *       {@code HELD}, and stays until killed.</li>
 *   <li>{@code pin key}: pins the key's record the way an acquisition does before it locks,
 *       prints {@code PINNED}, and stays until killed: a process killed between pin and lock.</li>
 * </ul>
 *
 * <p>Protocol: prints {@code READY slot=..}, waits for {@code go}, works, then waits for its
 * input to close.
 */
public final class KeyedLockWorker {

    static final String FAMILY = "orders";
    /** Offset in the heap of key k's counter; its "inside" word follows it. */
    static final int COUNTERS = 0;
    static final int STRIDE = 64;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    /**
     * Runs the worker.
     *
     * @param args directory, region name, id, maxLocks, mode and the mode's arguments
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0]))
                .maxLocks(Integer.parseInt(args[3])).build());
        int id = Integer.parseInt(args[2]);
        String mode = args[4];
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY slot=" + region.slot());
        if (!"go".equals(input.readLine())) {
            return;
        }
        switch (mode) {
            case "mixed" ->
                mixed(region, id, Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                        args.length > 8 ? "x".repeat(Integer.parseInt(args[8])) : "");
            case "hold-write" -> {
                region.lock(FAMILY, args[5]).writeLock().lock();
                System.out.println("HELD");
            }
            case "hold-read" -> {
                region.lock(FAMILY, args[5]).readLock().lock();
                System.out.println("HELD");
            }
            case "pin" -> {
                RegionFile file = regionFile(region);
                file.locks.pinKeyed(KeyedName.of(FAMILY, args[5].getBytes(StandardCharsets.UTF_8)), -1);
                System.out.println("PINNED");
            }
            default -> throw new IllegalArgumentException(mode);
        }
        while (input.readLine() != null) {
            // keep the region (and any hold) until the test lets go or kills us
        }
        region.close();
    }

    private static void mixed(SharedRegion region, int id, int threads, int operations, int hotKeys, String prefix)
            throws Exception {
        ByteBuffer buffer = region.buffer();
        int heap = (int) region.header().heapOffset();
        AtomicLong increments = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        AtomicLong distinct = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < operations; i++) {
                    if (random.nextBoolean()) {
                        RWLock once = region.lock(FAMILY, prefix + "p" + id + "-t" + thread + "-" + i);
                        once.writeLock().lock();
                        once.writeLock().unlock();
                        distinct.incrementAndGet();
                        continue;
                    }
                    int key = random.nextInt(hotKeys);
                    int counter = heap + COUNTERS + key * STRIDE;
                    RWLock hot = region.lock(FAMILY, prefix + "hot-" + key);
                    hot.writeLock().lock();
                    try {
                        if ((long) LONGS.getVolatile(buffer, counter + Long.BYTES) != 0) {
                            violations.incrementAndGet();
                        }
                        LONGS.setVolatile(buffer, counter + Long.BYTES, 1L);
                        long value = buffer.getLong(counter);
                        Thread.onSpinWait();
                        buffer.putLong(counter, value + 1);
                        increments.incrementAndGet();
                        LONGS.setVolatile(buffer, counter + Long.BYTES, 0L);
                    } finally {
                        hot.writeLock().unlock();
                    }
                }
            }, "keyed-worker-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("DONE increments=" + increments + " violations=" + violations + " distinct=" + distinct);
    }

    private static RegionFile regionFile(SharedRegion region) throws ReflectiveOperationException {
        java.lang.reflect.Field field = SharedRegion.class.getDeclaredField("region");
        field.setAccessible(true);
        return (RegionFile) field.get(region);
    }
}
