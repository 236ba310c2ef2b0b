package io.hostsync.state;

import java.nio.charset.StandardCharsets;

/** The built-in {@link Codec}s: UTF-8 strings, raw bytes, and JSON through Jackson 3 when it is present. */
public final class Codecs {

    private static final Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };

    private Codecs() {
    }

    /** @return a codec for strings as UTF-8 */
    public static Codec<String> utf8() {
        return UTF8;
    }

    /** @return a codec for byte arrays, copied on the way in */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * Returns a JSON codec through a default Jackson 3 {@code JsonMapper}, for records and beans.
     * Needs {@code tools.jackson.core:jackson-databind} on the class path.
     *
     * @param type the class of the values
     * @param <T> the type of the values
     * @return the codec
     * @throws IllegalStateException if Jackson 3 is not on the class path
     */
    public static <T> Codec<T> json(Class<T> type) {
        try {
            Class.forName("tools.jackson.databind.json.JsonMapper", false, Codecs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "Codecs.json needs Jackson 3 (tools.jackson.core:jackson-databind) on the class"
                            + " path: add it, or pass a Codec of your own",
                    e);
        }
        return JacksonCodec.of(type);
    }
}
