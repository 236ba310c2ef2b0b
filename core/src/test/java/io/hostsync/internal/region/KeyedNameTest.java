package io.hostsync.internal.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What a keyed record's name field holds: a key whole when it fits, else the family, a marker and a digest. */
class KeyedNameTest {

    @Test
    void aKeyThatFitsIsStoredWholeAfterTheFamilyAndAZeroByte() {
        KeyedName name = KeyedName.of("orders", "42".getBytes(StandardCharsets.UTF_8));
        assertThat(name.recordName()).isEqualTo("orders\u000042".getBytes(StandardCharsets.UTF_8));
        assertThat(name.isDigest()).isFalse();
        assertThat(KeyedName.parse(name.recordName())).isEqualTo(name).hasToString("orders['42']");
    }

    @Test
    void aLongerKeyIsStoredAsTheFamilyAMarkerAndTheSha256OfFamilyZeroAndKey() throws Exception {
        byte[] key = new byte[KeyedName.maxKeyBytes("orders") + 1];
        KeyedName name = KeyedName.of("orders", key);
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        sha256.update("orders\u0000".getBytes(StandardCharsets.UTF_8));
        byte[] expected = concat("orders\u0001".getBytes(StandardCharsets.UTF_8), sha256.digest(key));
        assertThat(name.recordName()).as("what a C or Python program computes from docs/layout.md").isEqualTo(expected);
        assertThat(name.isDigest()).isTrue();
        KeyedName read = KeyedName.parse(name.recordName());
        assertThat(read.family()).isEqualTo("orders");
        assertThat(read.isDigest()).isTrue();
        assertThat(read.key()).isEqualTo("sha-256:" + java.util.HexFormat.of().formatHex(expected, 7, expected.length));
    }

    @Test
    void aWholeKeyWithTheBytesOfADigestIsStillAnotherName() {
        KeyedName digest = KeyedName.of("orders", new byte[200]);
        byte[] afterFamily = Arrays.copyOfRange(digest.recordName(), "orders".length() + 1, digest.recordName().length);
        KeyedName whole = KeyedName.of("orders", afterFamily);
        assertThat(whole.isDigest()).isFalse();
        assertThat(whole).as("the marker byte is not the separator").isNotEqualTo(digest);
    }

    @Test
    void aLongFamilyIsCutBeforeTheDigestButCountsWholeInIt() {
        String family = "f".repeat(40);
        KeyedName one = KeyedName.of(family + "a", new byte[100]);
        KeyedName other = KeyedName.of(family + "b", new byte[100]);
        assertThat(one.recordName()).hasSize(RegionLayout.LOCK_NAME_CAPACITY);
        assertThat(one.family()).isEqualTo(family + "a");
        assertThat(KeyedName.parse(one.recordName()).family()).isEqualTo("f".repeat(KeyedName.DIGEST_FAMILY_BYTES));
        assertThat(one).as("families that share the part kept have different digests").isNotEqualTo(other);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
