package io.hostsync.state;

/**
 * Turns values into bytes and back, for {@link SharedValue} and {@link SharedMap}. Every process
 * that shares an entry must use compatible codecs. See {@link Codecs} for the built-in ones.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {

    /**
     * Encodes a value.
     *
     * @param value a value, never {@code null}
     * @return its bytes
     */
    byte[] encode(T value);

    /**
     * Decodes bytes written by {@link #encode(Object)}.
     *
     * @param bytes the bytes
     * @return the value
     */
    T decode(byte[] bytes);
}
