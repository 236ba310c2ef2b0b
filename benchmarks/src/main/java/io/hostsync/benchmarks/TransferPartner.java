package io.hostsync.benchmarks;

import io.hostsync.RegionOptions;
import io.hostsync.state.SharedCounter;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedValue;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The other JVM of {@link TransferBenchmark}: answers on both paths until its input closes. */
public final class TransferPartner {

    private static volatile boolean stopped;

    private TransferPartner() {
    }

    static Process start(String regionName, Path socket) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TransferPartner.class.getName());
        command.add(regionName);
        command.add(socket.toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Runs the partner.
     *
     * @param args region name, socket path
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        SharedRegion region = SharedRegion.open(RegionOptions.builder(args[0]).build());
        SharedValue<Quote> value = region.state().value("quote", Quote.CODEC, 4096);
        SharedCounter acknowledged = region.state().counter("acknowledged");
        Thread shared = new Thread(() -> {
            long seen = value.version();
            while (!stopped) {
                long version = value.version();
                if (version != seen) {
                    seen = version;
                    if (value.get().prices().length == 32) {
                        acknowledged.incrementAndGet();
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        shared.setDaemon(true);
        shared.start();
        Thread sockets = new Thread(() -> answerSocket(Path.of(args[1])));
        sockets.setDaemon(true);
        sockets.start();
        while (System.in.read() >= 0) {
            // wait for the benchmark to close our input
        }
        stopped = true;
        region.close();
    }

    private static void answerSocket(Path path) {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer length = ByteBuffer.allocate(4);
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!stopped) {
                length.clear();
                if (!fill(socket, length)) {
                    return;
                }
                ByteBuffer message = ByteBuffer.allocate(length.flip().getInt());
                if (!fill(socket, message)) {
                    return;
                }
                Quote quote = Quote.CODEC.decode(message.array());
                one.clear().put((byte) quote.prices().length).flip();
                while (one.hasRemaining()) {
                    socket.write(one);
                }
            }
        } catch (IOException e) {
            // the benchmark closed the socket
        }
    }

    private static boolean fill(SocketChannel socket, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }
}
