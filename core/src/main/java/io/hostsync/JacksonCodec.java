package io.hostsync;

import tools.jackson.databind.json.JsonMapper;

/** JSON through Jackson 3; loaded only when {@link Codecs#json(Class)} finds Jackson. */
final class JacksonCodec<T> implements Codec<T> {

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

    @Override
    public byte[] encode(T value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public T decode(byte[] bytes) {
        return mapper.readValue(bytes, type);
    }
}
