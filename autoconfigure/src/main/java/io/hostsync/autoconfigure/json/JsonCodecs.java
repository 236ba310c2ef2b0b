package io.hostsync.autoconfigure.json;

import io.hostsync.state.Codec;
import io.hostsync.state.JacksonCodec;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON codecs for {@link io.hostsync.state.SharedValue} and {@link io.hostsync.state.SharedMap} that use the
 * application's Jackson {@link JsonMapper}, so shared values are written with the same modules
 * and settings as the rest of the application:
 * {@code state.value("prices", jsonCodecs.of(Prices.class), 64 * 1024)}.
 */
public final class JsonCodecs {

    private final JsonMapper mapper;

    /**
     * Creates codecs over a mapper.
     *
     * @param mapper the application's mapper
     */
    public JsonCodecs(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Returns a codec for a type.
     *
     * @param type the class of the values
     * @param <T> the type of the values
     * @return a codec that uses the application's mapper
     */
    public <T> Codec<T> of(Class<T> type) {
        return JacksonCodec.of(this.mapper, type);
    }
}
