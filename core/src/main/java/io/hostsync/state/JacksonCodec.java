package io.hostsync.state;

import tools.jackson.databind.json.JsonMapper;

/**
 * JSON through Jackson 3, for records and beans. Loaded only when used, so that Jackson stays an
 * optional dependency: {@link Codecs#json(Class)} uses a default mapper, {@link #of(JsonMapper,
 * Class)} an application's own (the Spring Boot starter offers one bound to the application's
 * {@code JsonMapper} bean).
 *
 * @param <T> the type of the values
 */
public final class JacksonCodec<T> implements Codec<T> {

    private static final class DefaultMapper {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private final JsonMapper mapper;
    private final Class<T> type;

    private JacksonCodec(JsonMapper mapper, Class<T> type) {
        this.mapper = mapper;
        this.type = type;
    }

    static <T> JacksonCodec<T> of(Class<T> type) {
        return new JacksonCodec<>(DefaultMapper.MAPPER, type);
    }

    /**
     * Returns a codec that encodes and decodes with the given mapper.
     *
     * @param mapper the mapper, such as the application's
     * @param type the class of the values
     * @param <T> the type of the values
     * @return the codec
     */
    public static <T> JacksonCodec<T> of(JsonMapper mapper, Class<T> type) {
        return new JacksonCodec<>(java.util.Objects.requireNonNull(mapper, "mapper"),
                java.util.Objects.requireNonNull(type, "type"));
    }

    @Override
    public byte[] encode(T value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public T decode(byte[] bytes) {
        return mapper.readValue(bytes, type);
    }
}
