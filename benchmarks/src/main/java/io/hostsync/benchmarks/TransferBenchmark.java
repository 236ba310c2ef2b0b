package io.hostsync.benchmarks;

import io.hostsync.state.SharedCounter;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Passing one object to another JVM and hearing back, the queue-versus-shared-memory comparison:
 * <ul>
 *   <li>{@code sharedValue}: {@link SharedValue#set} here; the partner JVM spins on
 *       {@link SharedValue#version()}, decodes with {@link SharedValue#get()} and acknowledges
 *       through a {@link SharedCounter} we spin on;</li>
 *   <li>{@code unixSocket}: the same encoding written to a Unix domain socket (a pipe between two
 *       processes); the partner reads, decodes and answers one byte.</li>
 * </ul>
 * Both round trips encode, transfer, decode and acknowledge the same {@link Quote}. The shared
 * memory path spins on both sides (no kernel wake-ups); the socket path sleeps in the kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransferBenchmark {

    private SharedRegion region;
    private SharedValue<Quote> value;
    private SharedCounter acknowledged;
    private Process partner;
    private SocketChannel socket;
    private Path socketPath;
    private final ByteBuffer answer = ByteBuffer.allocateDirect(1);
    private long sequence;

    /** Starts the partner JVM, connected both ways. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        String name = Regions.uniqueName();
        region = SharedRegion.open(Regions.options(name));
        value = region.state().value("quote", Quote.CODEC, 4096);
        acknowledged = region.state().counter("acknowledged");
        socketPath = Files.createTempDirectory("hostsync-bench").resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            partner = TransferPartner.start(name, socketPath);
            socket = server.accept();
        }
    }

    /** Stops the partner and deletes the region. */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        socket.close();
        partner.getOutputStream().close();
        partner.waitFor(30, TimeUnit.SECONDS);
        partner.destroyForcibly();
        Files.deleteIfExists(socketPath);
        Files.deleteIfExists(socketPath.getParent());
        Regions.closeAndDelete(region);
    }

    /** @return the acknowledgement count */
    @Benchmark
    public long sharedValue() {
        long expected = acknowledged.get() + 1;
        value.set(Quote.sample(++sequence));
        while (acknowledged.get() != expected) {
            Thread.onSpinWait();
        }
        return expected;
    }

    /** @return the answer byte */
    @Benchmark
    public byte unixSocket() {
        try {
            byte[] bytes = Quote.CODEC.encode(Quote.sample(++sequence));
            ByteBuffer message = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
            while (message.hasRemaining()) {
                socket.write(message);
            }
            answer.clear();
            while (answer.hasRemaining()) {
                if (socket.read(answer) < 0) {
                    throw new IOException("partner closed the socket");
                }
            }
            return answer.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
