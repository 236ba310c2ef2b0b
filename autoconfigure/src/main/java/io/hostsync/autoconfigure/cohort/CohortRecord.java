package io.hostsync.autoconfigure.cohort;

import java.nio.ByteBuffer;

import io.hostsync.state.Codec;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedMap;
/**
 * The host's state of one cohort lock ({@link CohortLock#HELD} and the other fields), read and
 * changed only under the lock's host-wide gate. A named lock keeps it in a long array of the region
 * for good; a keyed lock in an entry of the region's record map, which exists only while the key's
 * lease is held or a process uses the key, so that the map's capacity bounds the keys in use at
 * once, not the keys ever used.
 */
interface CohortRecord {

    long get(int field);

    void set(int field, long value);

    long incrementAndGet(int field);

    /** Under the gate, when the host neither holds the lease nor uses the lock: forgets the record. */
    void discard();

    /** A named lock's record: a long array that stays. */
    static CohortRecord of(SharedLongArray array) {
        return new CohortRecord() {
            @Override
            public long get(int field) {
                return array.get(field);
            }

            @Override
            public void set(int field, long value) {
                array.set(field, value);
            }

            @Override
            public long incrementAndGet(int field) {
                return array.incrementAndGet(field);
            }

            @Override
            public void discard() {
                // a named lock's record stays
            }
        };
    }

    /** A keyed lock's record: the entry of its key in the region's record map, absent meaning all zeros. */
    static CohortRecord of(SharedMap<String, long[]> map, String key) {
        return new CohortRecord() {
            @Override
            public long get(int field) {
                long[] fields = map.get(key);
                return (fields == null) ? 0 : fields[field];
            }

            @Override
            public void set(int field, long value) {
                update(field, value, false);
            }

            @Override
            public long incrementAndGet(int field) {
                return update(field, 1, true);
            }

            private long update(int field, long value, boolean add) {
                long[] result = new long[1];
                map.compute(key, (k, old) -> {
                    if (old == null && value == 0) {
                        return null; // absent is all zeros: writing a zero (or adding one) creates no entry
                    }
                    long[] fields = (old == null) ? new long[CohortLock.RECORD_LENGTH] : old.clone();
                    fields[field] = add ? fields[field] + value : value;
                    result[0] = fields[field];
                    return fields;
                });
                return result[0];
            }

            @Override
            public void discard() {
                map.remove(key);
            }
        };
    }

    /** Encodes a record as its longs, big-endian. */
    Codec<long[]> CODEC = new Codec<>() {
        @Override
        public byte[] encode(long[] value) {
            ByteBuffer buffer = ByteBuffer.allocate(value.length * Long.BYTES);
            for (long field : value) {
                buffer.putLong(field);
            }
            return buffer.array();
        }

        @Override
        public long[] decode(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] fields = new long[CohortLock.RECORD_LENGTH];
            for (int i = 0; i < fields.length && buffer.remaining() >= Long.BYTES; i++) {
                fields[i] = buffer.getLong();
            }
            return fields;
        }
    };
}
