package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child JVM of {@link CorruptionFuzzTest}: for each of its trials, copies the template region,
 * damages the copy as the trial's seed says, then opens and uses it under a watchdog. Prints, per
 * trial, {@code START <trial> ...} before touching the file and {@code END <trial> ...} or
 * {@code BAD <trial> ...} after, so that the parent can attribute a crash to the trial that
 * started last. A hang is reported by the watchdog, which then halts the JVM.
 *
 * <p>Arguments: template file, directory, run id, base seed, first trial, end trial (exclusive),
 * slots, locks, entries, size, lock backend.
 */
public final class CorruptionFuzzWorker {

    /** Longest a trial may take: every operation in it has a timeout of its own well below this. */
    static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(8);

    private static final long[] TARGETED = { 0, 1, -1, 2, 7, 8, 63, 64, 65, 127, 128, 4096, 4095, 0x7ffffff0,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 0x1FFF,
            0x2000 };

    private CorruptionFuzzWorker() {
    }

    /**
     * Runs the trials.
     *
     * @param args see the class comment
     * @throws Exception if the template cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path template = Path.of(args[0]);
        Path directory = Path.of(args[1]);
        String run = args[2];
        long seed = Long.parseLong(args[3]);
        int first = Integer.parseInt(args[4]);
        int end = Integer.parseInt(args[5]);
        int slots = Integer.parseInt(args[6]);
        int locks = Integer.parseInt(args[7]);
        int entries = Integer.parseInt(args[8]);
        long size = Long.parseLong(args[9]);
        Backend backend = Backend.fromConfigName(args[10]);
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz-trial");
            thread.setDaemon(true);
            return thread;
        });
        for (int trial = first; trial < end; trial++) {
            long trialSeed = trialSeed(seed, trial);
            RegionOptions options = RegionOptions.builder("fuzz-" + run + "-" + trial).directory(directory).size(size)
                    .maxParticipants(slots).maxLocks(locks).maxEntries(entries).backend(backend)
                    .openTimeout(Duration.ofSeconds(2)).build();
            Files.copy(template, options.file(), StandardCopyOption.REPLACE_EXISTING);
            String corruption = corrupt(options.file(), new SplittableRandom(trialSeed), slots, locks, entries);
            System.out.println(
                    "START " + trial + " seed=" + trialSeed + " backend=" + backend.configName() + " " + corruption);
            System.out.flush();
            int current = trial;
            Future<String> outcome = executor.submit(() -> use(options, current));
            try {
                System.out.println("END " + trial + " " + outcome.get(TRIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                System.out.println(
                        "BAD " + trial + " hang: no answer within " + TRIAL_TIMEOUT + " " + stackOfTrialThread());
                System.out.flush();
                Runtime.getRuntime().halt(3);
            } catch (ExecutionException e) {
                System.out.println(judge(e.getCause(), options.file(), trial));
            }
            System.out.flush();
            Files.deleteIfExists(options.file());
        }
        System.out.println("DONE");
    }

    /** The seed of one trial, so that one trial replays alone. */
    static long trialSeed(long seed, int trial) {
        return new SplittableRandom(seed + trial * 0x9E3779B97F4A7C15L).nextLong();
    }

    private static String judge(Throwable thrown, Path file, int trial) {
        String message = String.valueOf(thrown.getMessage()).replace('\n', ' ');
        if (thrown instanceof HostsyncException && message.contains(file.toString())) {
            return "END " + trial + " refused " + thrown.getClass().getSimpleName() + ": "
                    + message.substring(0, Math.min(160, message.length()));
        }
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        StringBuilder top = new StringBuilder();
        for (int i = 1; i < Math.min(lines.length, 12); i++) {
            top.append(" | ").append(lines[i].trim());
        }
        return "BAD " + trial + " " + thrown.getClass().getName() + ": " + message + top;
    }

    private static String stackOfTrialThread() {
        StringBuilder stack = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            if (thread.getName().equals("fuzz-trial")) {
                for (int i = 0; i < Math.min(frames.length, 8); i++) {
                    stack.append(" | ").append(frames[i]);
                }
            }
        });
        return stack.toString();
    }

    /** Opens the damaged region and uses every kind of structure in it, with timeouts. */
    private static String use(RegionOptions options, int trial) throws Exception {
        StringBuilder seen = new StringBuilder("ok");
        try (SharedRegion region = SharedRegion.open(options)) {
            for (String name : new String[] { "orders", "jobs", "new-" + (trial % 3) }) {
                RWLock lock = region.lock(name);
                if (lock.writeLock().tryLock(200, TimeUnit.MILLISECONDS)) {
                    lock.writeLock().unlock();
                }
                if (lock.readLock().tryLock(200, TimeUnit.MILLISECONDS)) {
                    lock.readLock().unlock();
                }
                lock.hostStatistics();
            }
            SharedState state = region.state();
            state.counter("hits").incrementAndGet();
            state.longArray("slots", 8).addAndGet(trial % 8, 1);
            SharedValue<String> value = state.value("quote", Codecs.utf8(), 64);
            value.get();
            value.set("trial " + trial);
            SharedMap<String, String> map = state.map("prices", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(16, 16));
            map.get("apple");
            map.put("trial", String.valueOf(trial));
            SharedSemaphore permits = state.semaphore("permits", 4);
            if (permits.tryAcquire(1, 200, TimeUnit.MILLISECONDS)) {
                permits.release(1);
            }
            state.bytes("blob", 64).read(0, new byte[16]);
            state.counter("fresh-" + (trial % 5)).incrementAndGet();
            state.entries();
            region.participants();
            region.usedBytes();
        }
        RegionReport report = SharedRegion.verify(options.file());
        return seen.append(report.healthy() ? "" : " (checker: " + report.problems().size() + " problems)").toString();
    }

    /** Damages the file as the random source says, and describes what it did. */
    static String corrupt(Path file, SplittableRandom random, int slots, int locks, int entries) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(RegionLayout.HEADER_FIELDS_LENGTH).order(RegionLayout.BYTE_ORDER);
            channel.read(header, 0);
            long lockTable = header.getLong(RegionLayout.LOCK_TABLE_OFFSET_OFFSET);
            long holderTable = header.getLong(RegionLayout.HOLDER_TABLE_OFFSET_OFFSET);
            long dataOffset = header.getLong(RegionLayout.DATA_OFFSET_OFFSET);
            long heapOffset = header.getLong(RegionLayout.HEAP_OFFSET_OFFSET);
            long heapTop = header.getLong(RegionLayout.HEAP_TOP_OFFSET);
            int stride = header.getInt(RegionLayout.LOCK_STRIDE_OFFSET);
            int pick = random.nextInt(100);
            String target = pick < 8 ? "header"
                    : pick < 20 ? "slots"
                            : pick < 45 ? "locks"
                                    : pick < 55 ? "holders"
                                            : pick < 80 ? "directory" : "heap";
            long from;
            long to;
            switch (target) {
                case "header" -> {
                    from = 0;
                    to = random.nextInt(10) == 0 ? RegionLayout.PAGE_SIZE : RegionLayout.HEADER_FIELDS_LENGTH;
                }
                case "slots" -> {
                    from = RegionLayout.SLOT_TABLE_OFFSET;
                    to = from + (long) slots * RegionLayout.SLOT_STRIDE;
                }
                case "locks" -> {
                    from = lockTable;
                    to = lockTable + (long) locks * stride;
                }
                case "holders" -> {
                    from = holderTable;
                    to = dataOffset;
                }
                case "directory" -> {
                    from = dataOffset;
                    to = dataOffset + 8L * RegionLayout.ENTRY_STRIDE; // the entries the template uses
                }
                default -> {
                    from = heapOffset;
                    to = Math.max(heapTop, heapOffset + 8);
                }
            }
            int kind = random.nextInt(100);
            if (kind < 4) {
                long length = random.nextLong(size);
                channel.truncate(length);
                return "target=file corruption=truncate-to-" + length;
            }
            if (kind < 30) {
                long at = random.nextLong(from, to);
                byte value = (byte) random.nextInt(256);
                channel.write(ByteBuffer.wrap(new byte[] { value }), at);
                return "target=" + target + " corruption=byte@" + at + "=" + (value & 0xff);
            }
            if (kind < 45) {
                long at = random.nextLong(from, to);
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, at);
                int bit = random.nextInt(8);
                channel.write(ByteBuffer.wrap(new byte[] { (byte) (one.get(0) ^ (1 << bit)) }), at);
                return "target=" + target + " corruption=bitflip@" + at + "." + bit;
            }
            if (kind < 60) {
                long at = random.nextLong(from, to);
                byte[] bytes = new byte[1 + random.nextInt(16)];
                random.nextBytes(bytes);
                channel.write(ByteBuffer.wrap(bytes), at);
                return "target=" + target + " corruption=bytes@" + at + "x" + bytes.length;
            }
            boolean wide = random.nextBoolean();
            long at = (random.nextLong(from, to) & ~(wide ? 7L : 3L));
            long value = TARGETED[random.nextInt(TARGETED.length)];
            if (random.nextInt(4) == 0) {
                value = -value;
            }
            ByteBuffer bytes = wide ? ByteBuffer.allocate(8).order(RegionLayout.BYTE_ORDER).putLong(0, value)
                    : ByteBuffer.allocate(4).order(RegionLayout.BYTE_ORDER).putInt(0, (int) value);
            channel.write(bytes, at);
            return "target=" + target + " corruption=" + (wide ? "long" : "int") + "@" + at + "=" + value;
        }
    }
}
