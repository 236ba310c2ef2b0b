package io.hostsync.autoconfigure.shedlock;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The record of one ShedLock job name in the map of {@link HostsyncLockProvider}: who took it
 * (process slot and generation), which acquisition of that process it is (so that a holder only
 * ever unlocks or extends its own), when it was taken, and until when it locks the name.
 *
 * <p>Encoded in {@value #LENGTH} bytes, big-endian:
 * <pre>
 *  0  int   magic 'SHLK'
 *  4  byte  version (1)
 *  5  byte  state: 1 held, 2 released (locked only until lockAtLeastFor has passed)
 *  6  short zero
 *  8  int   slot of the process that took it
 * 12  long  generation of that slot's claim
 * 20  long  acquisition number, unique within that process
 * 28  long  lockedAt, epoch milliseconds
 * 36  long  lockUntil, epoch milliseconds: lockAtMostFor's end while held, lockAtLeastFor's once released
 * </pre>
 * Bytes in another format decode to an unreadable record, which the provider refuses with a
 * message rather than overwrite: they belong to something else.
 *
 * @param state {@link #HELD}, {@link #RELEASED}, or {@link #UNREADABLE}
 * @param slot the process slot of the process that took it
 * @param generation the generation of that slot's claim
 * @param acquisition the acquisition number within that process
 * @param lockedAt when it was taken, epoch milliseconds
 * @param lockUntil until when it locks the name, epoch milliseconds
 * @param unreadable why the bytes could not be read, for an unreadable record
 */
record JobLock(byte state, int slot, long generation, long acquisition, long lockedAt, long lockUntil,
        @Nullable String unreadable) {

    static final byte HELD = 1;

    static final byte RELEASED = 2;

    static final byte UNREADABLE = 0;

    static final int MAGIC = 0x53484C4B;

    static final byte VERSION = 1;

    static final int LENGTH = 44;

    static JobLock held(int slot, long generation, long acquisition, long lockedAt, long lockUntil) {
        return new JobLock(HELD, slot, generation, acquisition, lockedAt, lockUntil, null);
    }

    JobLock released(long until) {
        return new JobLock(RELEASED, this.slot, this.generation, this.acquisition, this.lockedAt, until, null);
    }

    boolean isHeld() {
        return this.state == HELD;
    }

    boolean isReadable() {
        return this.state != UNREADABLE;
    }

    String describeHolder() {
        return "slot " + this.slot + ", generation " + this.generation + ", locked at "
                + Instant.ofEpochMilli(this.lockedAt);
    }

    String describeUnreadable() {
        return Objects.requireNonNull(this.unreadable, "a readable record");
    }

    /** Encodes records; decodes bytes of another format as an unreadable record, never throwing. */
    static final class Codec implements io.hostsync.state.Codec<JobLock> {

        private final int slots;

        Codec(int slots) {
            this.slots = slots;
        }

        @Override
        public byte[] encode(JobLock value) {
            return ByteBuffer.allocate(LENGTH)
                    .putInt(MAGIC)
                    .put(VERSION)
                    .put(value.state())
                    .putShort((short) 0)
                    .putInt(value.slot())
                    .putLong(value.generation())
                    .putLong(value.acquisition())
                    .putLong(value.lockedAt())
                    .putLong(value.lockUntil())
                    .array();
        }

        @Override
        public JobLock decode(byte[] bytes) {
            if (bytes.length != LENGTH) {
                return unreadable(bytes.length + " bytes where a record has " + LENGTH);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int magic = buffer.getInt();
            byte version = buffer.get();
            byte state = buffer.get();
            buffer.getShort();
            int slot = buffer.getInt();
            if (magic != MAGIC) {
                return unreadable("magic 0x" + Integer.toHexString(magic) + " where a record has 0x"
                        + Integer.toHexString(MAGIC));
            }
            if (version != VERSION) {
                return unreadable("format version " + version + " where this version of hostsync writes " + VERSION);
            }
            if (state != HELD && state != RELEASED) {
                return unreadable("state " + state);
            }
            if (slot < 0 || slot >= this.slots) {
                return unreadable("slot " + slot + " of a region with " + this.slots + " slots");
            }
            return new JobLock(state, slot, buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(),
                    null);
        }

        private static JobLock unreadable(String why) {
            return new JobLock(UNREADABLE, -1, 0, 0, 0, 0, why);
        }
    }
}
