package io.hostsync.internal.region;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a keyed lock's record holds in its name field. A key that fits is stored whole: the
 * family's name, a 0 byte (which no family name contains, so that family "a" with key "b.c" and
 * family "a.b" with key "c" differ), then the key's bytes, compared byte for byte, so two such keys
 * never share a record. A longer key is stored as its digest: the family's name (its first
 * {@value #DIGEST_FAMILY_BYTES} bytes if longer), a 1 byte (the marker: no family name contains one
 * either, so a digest never equals a whole key), then the SHA-256 of the family's name, a 0 byte
 * and the key. Two long keys share a record only if their digests are equal, which nobody knows how
 * to bring about; and if it happened, the two keys would share one lock: more exclusion, never
 * less.
 */
public final class KeyedName {

    /** Separates the family from a whole key in a record's name field. */
    static final byte SEPARATOR = 0;
    /** Separates the family from the digest of a key too long to be stored whole. */
    static final byte DIGEST_MARKER = 1;
    /** Bytes of a SHA-256 digest. */
    static final int DIGEST_BYTES = 32;
    /** Most bytes of the family's name kept before a digest (the family is within the digest whole). */
    static final int DIGEST_FAMILY_BYTES = RegionLayout.LOCK_NAME_CAPACITY - 1 - DIGEST_BYTES;

    private final String family;
    private final byte[] recordName;
    /** Where the key (or its digest) starts in the record name. */
    private final int keyOffset;
    private final boolean digest;
    private final int hash;

    private KeyedName(String family, byte[] recordName, int keyOffset, boolean digest) {
        this.family = family;
        this.recordName = recordName;
        this.keyOffset = keyOffset;
        this.digest = digest;
        this.hash = mix(recordName);
    }

    /**
     * Builds the record name of a key: the key whole if it fits with the family, else its digest.
     *
     * @param family a valid lock name
     * @param key the key's bytes, of any length
     * @return the keyed name
     */
    public static KeyedName of(String family, byte[] key) {
        byte[] familyBytes = family.getBytes(StandardCharsets.UTF_8);
        int length = familyBytes.length + 1 + key.length;
        if (length > RegionLayout.LOCK_NAME_CAPACITY) {
            return ofDigest(family, familyBytes, key);
        }
        byte[] recordName = Arrays.copyOf(familyBytes, length);
        recordName[familyBytes.length] = SEPARATOR;
        System.arraycopy(key, 0, recordName, familyBytes.length + 1, key.length);
        return new KeyedName(family, recordName, familyBytes.length + 1, false);
    }

    private static KeyedName ofDigest(String family, byte[] familyBytes, byte[] key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Keyed lock '" + family + "' stores a key of " + key.length
                    + " bytes (more than"
                    + " the " + maxKeyBytes(family)
                    + " bytes it stores whole) as its SHA-256 digest, but this JVM has no"
                    + " SHA-256, which every Java SE platform must provide. Run on a standard JDK, or use keys of at most "
                    + maxKeyBytes(family) + " bytes.", e);
        }
        sha256.update(familyBytes);
        sha256.update(SEPARATOR);
        sha256.update(key);
        int kept = Math.min(familyBytes.length, DIGEST_FAMILY_BYTES);
        byte[] recordName = Arrays.copyOf(familyBytes, kept + 1 + DIGEST_BYTES);
        recordName[kept] = DIGEST_MARKER;
        System.arraycopy(sha256.digest(), 0, recordName, kept + 1, DIGEST_BYTES);
        return new KeyedName(family, recordName, kept + 1, true);
    }

    /**
     * Reads a record's name field back: the family (or the part of it stored before a digest) and
     * the key or its digest.
     *
     * @param recordName the bytes of a keyed record's name field
     * @return the keyed name they make
     */
    public static KeyedName parse(byte[] recordName) {
        int separator = 0;
        while (separator < recordName.length && recordName[separator] != SEPARATOR
                && recordName[separator] != DIGEST_MARKER) {
            separator++;
        }
        String family = new String(recordName, 0, separator, StandardCharsets.UTF_8);
        boolean digest = separator < recordName.length && recordName[separator] == DIGEST_MARKER;
        return new KeyedName(family, recordName.clone(), Math.min(recordName.length, separator + 1), digest);
    }

    /**
     * The longest key, in bytes, a family stores whole; a longer one is stored as its digest.
     *
     * @param family a valid lock name
     * @return the room left in a record's name field after the family and the separator
     */
    public static int maxKeyBytes(String family) {
        return RegionLayout.LOCK_NAME_CAPACITY - family.getBytes(StandardCharsets.UTF_8).length - 1;
    }

    /** @return the family's name (for a name read from a record with a digest, its first bytes only) */
    public String family() {
        return family;
    }

    /** @return whether the key was too long to be stored whole, and its digest is stored instead */
    public boolean isDigest() {
        return digest;
    }

    /**
     * Describes the key: as text when it is printable UTF-8 (quoted), else as hex digits; a key
     * stored as its digest is {@code sha-256:} and the digest's hex digits.
     *
     * @return the key in words
     */
    public String key() {
        byte[] key = Arrays.copyOfRange(recordName, keyOffset, recordName.length);
        return digest ? "sha-256:" + HexFormat.of().formatHex(key) : describeKey(key);
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
