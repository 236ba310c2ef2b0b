package io.hostsync.autoconfigure.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

import io.hostsync.state.Codec;

/**
 * The default codec of cached values: Java serialization, which takes any {@link java.io.Serializable}
 * value as Spring's own caches do. Classes are resolved with the application's class loader.
 */
public final class JavaSerializationCodec implements Codec<Object> {

    private final String cacheName;

    private final ClassLoader classLoader;

    /**
     * Creates the codec of a cache.
     *
     * @param cacheName the cache's name, for messages
     * @param classLoader the class loader that resolves the classes of values
     */
    public JavaSerializationCodec(String cacheName, ClassLoader classLoader) {
        this.cacheName = cacheName;
        this.classLoader = classLoader;
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream output = new ObjectOutputStream(bytes)) {
            output.writeObject(value);
        } catch (NotSerializableException ex) {
            throw new IllegalArgumentException("Cache '" + this.cacheName + "' cannot store a value of "
                    + value.getClass().getName() + ": " + ex.getMessage() + " is not Serializable. Make it implement"
                    + " java.io.Serializable, or give the cache a codec bean with hostsync.cache.caches."
                    + this.cacheName + ".codec.", ex);
        } catch (IOException ex) {
            throw new IllegalStateException("Cache '" + this.cacheName + "' could not serialize a value of "
                    + value.getClass().getName() + ": " + ex, ex);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        try (ObjectInputStream input = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(description.getName(), false, JavaSerializationCodec.this.classLoader);
                } catch (ClassNotFoundException ex) {
                    return super.resolveClass(description);
                }
            }
        }) {
            return input.readObject();
        } catch (IOException | ClassNotFoundException ex) {
            throw new IllegalStateException("Cache '" + this.cacheName + "' holds a value that could not be"
                    + " deserialized: " + ex + ". Every process sharing the cache must have the same classes.", ex);
        }
    }
}
