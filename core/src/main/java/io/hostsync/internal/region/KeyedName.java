package io.hostsync.internal.region;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a keyed lock's record holds in its name field: the family's name, a 0 byte (which no
 * family name contains, so that family "a" with key "b.c" and family "a.b" with key "c" differ),
 * then the key's bytes, compared byte for byte. The whole key is stored, never a hash of it, so
 * two different keys can never share a record.
 */
public final class KeyedName {

    /** Separates the family from the key in a record's name field. */
    static final byte SEPARATOR = 0;

    private final String family;
    private final byte[] recordName;
    private final int keyLength;
    private final int hash;

    private KeyedName(String family, byte[] recordName, int keyLength) {
        this.family = family;
        this.recordName = recordName;
        this.keyLength = keyLength;
        this.hash = mix(recordName);
    }

    /**
     * Builds the record name of a key.
     *
     * @param family a valid lock name
     * @param key the key's bytes
     * @return the keyed name
     * @throws IllegalArgumentException if the family and the key do not fit a record's name field
     */
    public static KeyedName of(String family, byte[] key) {
        byte[] familyBytes = family.getBytes(StandardCharsets.UTF_8);
        int length = familyBytes.length + 1 + key.length;
        if (length > RegionLayout.LOCK_NAME_CAPACITY) {
            throw new IllegalArgumentException("Key " + describeKey(key) + " of keyed lock '" + family + "' is "
                    + key.length + " bytes, but a keyed lock's record holds at most " + maxKeyBytes(family)
                    + " bytes of key with that family name (" + RegionLayout.LOCK_NAME_CAPACITY + " bytes for the family"
                    + " name, one separator and the key, stored whole so that two keys never share a lock). Use a"
                    + " shorter key, such as an id rather than a description, or a shorter family name.");
        }
        byte[] recordName = Arrays.copyOf(familyBytes, length);
        recordName[familyBytes.length] = SEPARATOR;
        System.arraycopy(key, 0, recordName, familyBytes.length + 1, key.length);
        return new KeyedName(family, recordName, key.length);
    }

    /**
     * The longest key, in bytes, a family may have.
     *
     * @param family a valid lock name
     * @return the room left in a record's name field after the family and the separator
     */
    public static int maxKeyBytes(String family) {
        return RegionLayout.LOCK_NAME_CAPACITY - family.getBytes(StandardCharsets.UTF_8).length - 1;
    }

    /** @return the family's name */
    public String family() {
        return family;
    }

    /** @return the key as text when it is printable UTF-8 (quoted), else as hex digits */
    public String key() {
        return describeKey(Arrays.copyOfRange(recordName, recordName.length - keyLength, recordName.length));
    }

    /** @return the bytes the record's name field holds, not to be changed */
    byte[] recordName() {
        return recordName;
    }

    /**
     * The record where probing for this key starts.
     *
     * @param capacity the number of lock records
     * @return an index from 0 to {@code capacity - 1}, the same in every process
     */
    public int start(int capacity) {
        return Math.floorMod(hash, capacity);
    }

    /** @return for messages, such as {@code orders['42']} */
    @Override
    public String toString() {
        return family + "[" + key() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyedName name && Arrays.equals(recordName, name.recordName);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * Renders a key for messages: quoted text when it is printable UTF-8, else {@code 0x} and its
     * hex digits.
     *
     * @param key the key's bytes
     * @return the key in words
     */
    public static String describeKey(byte[] key) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(key)).toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                return "'" + text + "'";
            }
        } catch (CharacterCodingException e) {
            // not text: shown in hex below
        }
        return "0x" + HexFormat.of().formatHex(key);
    }

    /**
     * A hash of the record name that spreads neighbouring keys (ids in sequence) over the table:
     * FNV-1a, then the finaliser of MurmurHash3. Every process computes the same value, which a
     * C or Python program can reproduce (docs/layout.md).
     */
    static int mix(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
