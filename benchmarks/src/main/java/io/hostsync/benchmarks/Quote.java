package io.hostsync.benchmarks;

import io.hostsync.state.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The object the state benchmarks pass around: a symbol and 32 prices (about 300 bytes
 * encoded), with one codec used by every path so that only the transport differs.
 *
 * @param symbol the symbol
 * @param sequence which quote this is
 * @param prices the prices
 */
public record Quote(String symbol, long sequence, long[] prices) {

    /** The codec of every benchmark path: a DataOutputStream encoding. */
    public static final Codec<Quote> CODEC = new Codec<>() {
        @Override
        public byte[] encode(Quote quote) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(320);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(quote.symbol);
                out.writeLong(quote.sequence);
                out.writeInt(quote.prices.length);
                for (long price : quote.prices) {
                    out.writeLong(price);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public Quote decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                String symbol = in.readUTF();
                long sequence = in.readLong();
                long[] prices = new long[in.readInt()];
                for (int i = 0; i < prices.length; i++) {
                    prices[i] = in.readLong();
                }
                return new Quote(symbol, sequence, prices);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /**
     * @param sequence which quote
     * @return a quote with 32 prices
     */
    public static Quote sample(long sequence) {
        long[] prices = new long[32];
        Arrays.setAll(prices, i -> 10_000 + i * 7 + sequence);
        return new Quote("HSYNC", sequence, prices);
    }
}
