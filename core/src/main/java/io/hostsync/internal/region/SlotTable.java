package io.hostsync.internal.region;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.Participant;
import io.hostsync.RegionFullException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionOptions;
import io.hostsync.RegionSetting;
import io.hostsync.internal.os.ProcessIdentity;
import io.hostsync.internal.os.RegionDescriptor;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The process slot table of an open region: claiming a slot for this JVM, reading the other
 * slots' records, and asking the kernel whether a slot's owner is alive (each live owner holds
 * an OFD lock on its slot's byte, see {@link RegionLayout}).
 */
public final class SlotTable {

    /** How many times a reader retries a slot record that its owner is rewriting. */
    private static final int SLOT_READ_ATTEMPTS = 100;

    /** The region, asked before every liveness answer whether it was lost. */
    private final RegionFile region;
    private final RegionDescriptor descriptor;
    private final MappedByteBuffer buffer;
    private final RegionHeader header;
    private final int slot;
    private final long generation;

    SlotTable(RegionFile region, RegionDescriptor descriptor, MappedByteBuffer buffer, RegionHeader header, int slot,
            long generation) {
        this.region = region;
        this.descriptor = descriptor;
        this.buffer = buffer;
        this.header = header;
        this.slot = slot;
        this.generation = generation;
    }

    /**
     * Lists the live participants, in slot order.
     *
     * @return the participants, this JVM among them
     */
    public List<Participant> participants() {
        List<Participant> live = new ArrayList<>();
        for (int other = 0; other < header.slotCapacity(); other++) {
            Participant participant = other == slot ? readParticipant(buffer, other, true)
                    : slotState(buffer, other) == RegionLayout.SLOT_STATE_ACTIVE
                            && descriptor.isLockedByOther(RegionLayout.slotOffset(other))
                                    ? readParticipant(buffer, other, false)
                                    : null;
            if (participant != null) {
                live.add(participant);
            }
        }
        return live;
    }

    /**
     * Refuses a slot number read from the region (an owner field of a lock's state word or of the
     * mutex of a value, map or semaphore) that lies beyond the slot table: its "slot record" would
     * be another structure's bytes, and its byte lock another structure's byte. Checked here, where
     * every liveness question arrives, and asked only by waiters, never on an uncontended path.
     */
    private void checkSlot(int slot) {
        if (slot < 0 || slot >= header.slotCapacity()) {
            throw HeaderFormat.corrupted(descriptor.file, "has a corrupted owner field: it names slot " + slot
                    + ", beyond the " + header.slotCapacity() + " slots of the region (in a lock's state word, or in"
                    + " the mutex of a value, map or semaphore)");
        }
    }

    /**
     * Tells whether the process that claimed {@code slot} as generation {@code generation} is
     * alive. The kernel decides: the slot's OFD lock is held exactly while its owner lives, and a
     * slot is claimed again only once that lock is free.
     *
     * @param slot a slot
     * @param generation the low 32 bits of the generation to check
     * @return whether it is alive
     * @throws io.hostsync.RegionLostException if the region was lost: every waiter asks this
     *     within a liveness interval, so none waits on in a region nobody else shares any more
     */
    public boolean isAlive(int slot, long generation) {
        region.ensureNotLost();
        checkSlot(slot);
        if (slot == this.slot) {
            return (this.generation & 0xFFFF_FFFFL) == generation;
        }
        long sequence = (long) LONGS.getAcquire(buffer,
                RegionLayout.slotOffset(slot) + RegionLayout.SLOT_GENERATION_OFFSET);
        if ((sequence & 1) != 0 || ((sequence / 2) & 0xFFFF_FFFFL) != generation) {
            return false; // claimed again (or being claimed): the owner of that generation is gone
        }
        return isSlotHeld(slot);
    }

    /**
     * Tells whether some live process holds {@code slot}, whatever its generation.
     *
     * @param slot a slot
     * @return whether a live process holds it
     * @throws io.hostsync.RegionLostException if the region was lost, as {@link #isAlive} does
     */
    public boolean isSlotHeld(int slot) {
        region.ensureNotLost();
        checkSlot(slot);
        return isHeldNow(slot);
    }

    private boolean isHeldNow(int slot) {
        return slot == this.slot || descriptor.isLockedByOther(RegionLayout.slotOffset(slot));
    }

    /**
     * Like {@link #isSlotHeld(int)}, but answers a slot never claimed, or left by a clean close,
     * without asking the kernel; and answers for a lost region too, for statistics and listings.
     *
     * @param slot a slot
     * @return whether a live process holds it
     */
    public boolean isSlotActive(int slot) {
        return slot == this.slot || slotState(buffer, slot) == RegionLayout.SLOT_STATE_ACTIVE && isHeldNow(slot);
    }

    /** Marks this JVM's slot free, before its descriptor is closed (which releases the slot's lock). */
    void release() {
        INTS.setRelease(buffer, RegionLayout.slotOffset(slot) + RegionLayout.SLOT_STATE_OFFSET,
                RegionLayout.SLOT_STATE_FREE);
    }

    /** Claims the first slot whose byte lock is free, and has the layers above reclaim what its dead owner held. */
    static int claim(RegionDescriptor descriptor, MappedByteBuffer buffer, RegionHeader header,
            RegionOptions options, RegionHooks hooks, long[] generation) {
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            if (descriptor.tryLock(RegionLayout.slotOffset(slot))) {
                hooks.reclaimSlot(buffer, header, slot, options.file());
                generation[0] = writeSlot(buffer, slot);
                return slot;
            }
        }
        throw new RegionFullException("All " + header.slotCapacity() + " participant slots of region '" + options.name()
                + "' (" + options.file() + ") are held by live processes. Close the region in processes that no longer"
                + " need it, or recreate the region with a larger maxParticipants.",
                options.name(), options.file(), RegionSetting.MAX_PARTICIPANTS, header.slotCapacity());
    }

    /**
     * A {@code pthread_rwlock_t} records its writer by thread id, and thread ids of different PID
     * namespaces collide: a posix region is refused to a process whose PID namespace differs
     * from a live participant's.
     */
    static void refuseOtherPidNamespaces(RegionDescriptor descriptor, MappedByteBuffer buffer,
            RegionHeader header, RegionOptions options) {
        long mine = ProcessIdentity.current().pidNamespace();
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            if (slotState(buffer, slot) != RegionLayout.SLOT_STATE_ACTIVE
                    || !descriptor.isLockedByOther(RegionLayout.slotOffset(slot))) {
                continue;
            }
            long theirs = buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_NAMESPACE_OFFSET);
            if (theirs != mine) {
                long pid = buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_OFFSET);
                throw new BackendRefusedException("Region '" + options.name() + "' (" + options.file()
                        + ") uses the posix"
                        + " lock backend, which cannot work across PID namespaces: participant slot " + slot + " (pid "
                        + pid
                        + ") is in PID namespace " + describeNamespace(theirs) + " and this process in "
                        + describeNamespace(mine) + ". A pthread_rwlock records its writer by thread id, and thread ids"
                        + " collide between namespaces (containers), so it would fail with false EDEADLK or release another"
                        + " process's lock. Use backend robust (the default), which works across containers, or run every"
                        + " process in one PID namespace (docker run --pid=host, or shareProcessNamespace in Kubernetes).",
                        options.name(), options.file(), Backend.POSIX);
            }
        }
    }

    private static String describeNamespace(long inode) {
        return inode == 0 ? "unknown (no /proc/self/ns/pid)" : "pid:[" + inode + "]";
    }

    /**
     * Writes this process's record into a slot whose OFD lock it holds. The slot's sequence is
     * odd while the record is written and even when it is complete (a seqlock), so that readers
     * never take a half-written record for a whole one.
     */
    private static long writeSlot(MappedByteBuffer buffer, int slot) {
        int base = RegionLayout.slotOffset(slot);
        long sequence = (long) LONGS.getAcquire(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
        long writing = sequence + 1 + (sequence & 1); // the next odd value, even if a previous owner died writing
        INTS.setRelease(buffer, base + RegionLayout.SLOT_STATE_OFFSET, RegionLayout.SLOT_STATE_FREE);
        LONGS.setRelease(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET, writing);
        VarHandle.storeStoreFence();
        ProcessIdentity self = ProcessIdentity.current();
        buffer.putLong(base + RegionLayout.SLOT_PID_OFFSET, self.pid());
        buffer.putLong(base + RegionLayout.SLOT_SINCE_OFFSET, System.currentTimeMillis());
        buffer.putLong(base + RegionLayout.SLOT_PID_NAMESPACE_OFFSET, self.pidNamespace());
        byte[] host = truncateUtf8(self.host(), RegionLayout.HOST_NAME_CAPACITY);
        buffer.putInt(base + RegionLayout.SLOT_HOST_LENGTH_OFFSET, host.length);
        buffer.put(base + RegionLayout.SLOT_HOST_OFFSET, host);
        INTS.setRelease(buffer, base + RegionLayout.SLOT_STATE_OFFSET, RegionLayout.SLOT_STATE_ACTIVE);
        LONGS.setRelease(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET, writing + 1);
        return (writing + 1) / 2;
    }

    private static int slotState(ByteBuffer buffer, int slot) {
        return (int) INTS.getAcquire(buffer, RegionLayout.slotOffset(slot) + RegionLayout.SLOT_STATE_OFFSET);
    }

    /** Reads a slot record consistently, or returns null if its owner keeps rewriting it. */
    public static @Nullable Participant readParticipant(ByteBuffer buffer, int slot, boolean self) {
        int base = RegionLayout.slotOffset(slot);
        for (int attempt = 0; attempt < SLOT_READ_ATTEMPTS; attempt++) {
            long before = (long) LONGS.getAcquire(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long pid = buffer.getLong(base + RegionLayout.SLOT_PID_OFFSET);
            long since = buffer.getLong(base + RegionLayout.SLOT_SINCE_OFFSET);
            long namespace = buffer.getLong(base + RegionLayout.SLOT_PID_NAMESPACE_OFFSET);
            int hostLength = Math.max(0, Math.min(buffer.getInt(base + RegionLayout.SLOT_HOST_LENGTH_OFFSET),
                    RegionLayout.HOST_NAME_CAPACITY));
            byte[] host = new byte[hostLength];
            buffer.get(base + RegionLayout.SLOT_HOST_OFFSET, host);
            VarHandle.acquireFence();
            long after = (long) LONGS.getVolatile(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
            if (before == after) {
                return new Participant(slot, before / 2, pid, Instant.ofEpochMilli(since),
                        new String(host, StandardCharsets.UTF_8), namespace, self);
            }
        }
        return null;
    }

    private static byte[] truncateUtf8(String text, int capacity) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= capacity) {
            return bytes;
        }
        int length = capacity;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--; // do not cut a character in two
        }
        return java.util.Arrays.copyOf(bytes, length);
    }

    /**
     * Describes participants for a message.
     *
     * @param participants the participants
     * @return their slots, pids, hosts and claim times
     */
    public static String describe(List<Participant> participants) {
        return participants.stream()
                .map(p -> "slot " + p.slot() + " (pid " + p.pid() + " on " + p.host() + " since " + p.since() + ")")
                .collect(Collectors.joining(", "));
    }
}
