package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.TestRegions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A C program compiled by the test (gcc) takes the posix lock of a region through the offsets
 * in docs/layout.md, and excludes Java processes and is excluded by them.
 */
class PosixInteropTest {

    private static final Path SOURCE = Path.of("src", "test", "c", "posix_peer.c");
    private static final Path BINARY = Path.of("target", "posix_peer");

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @BeforeAll
    static void compile() throws Exception {
        Files.createDirectories(BINARY.getParent());
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-pthread", "-o", BINARY.toString(),
                    SOURCE.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc is needed to build the C peer of this test (apt-get install gcc): " + e, e);
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(gcc.exitValue()).as("gcc: %s", output).isZero();
    }

    @Test
    void javaAndCExcludeEachOtherOnTheSameLock() throws Exception {
        RegionOptions options = regions.options("interop").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            assertThat(run(options, "tryread", "trywrite")).containsExactly("read acquired", "write acquired");

            lock.writeLock().lock();
            try {
                assertThat(run(options, "tryread", "trywrite")).as("Java writes: C can neither read nor write")
                        .containsExactly("read busy", "write busy");
            } finally {
                lock.writeLock().unlock();
            }
            lock.readLock().lock();
            try {
                assertThat(run(options, "tryread", "trywrite")).as("Java reads: C may read too, not write")
                        .containsExactly("read acquired", "write busy");
            } finally {
                lock.readLock().unlock();
            }

            Process holder = start(options, "hold");
            try (BufferedReader out = reader(holder);
                    Writer in = new OutputStreamWriter(holder.getOutputStream(),
                            StandardCharsets.UTF_8)) {
                assertThat(out.readLine()).isEqualTo("holding");
                assertThat(lock.readLock().tryLock(50, TimeUnit.MILLISECONDS)).as("C writes: Java cannot read")
                        .isFalse();
                assertThat(lock.writeLock().tryLock(50, TimeUnit.MILLISECONDS)).as("nor write").isFalse();
                in.write("release\n");
                in.flush();
                assertThat(out.readLine()).isEqualTo("released");
            }
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lock.writeLock().tryLock(5, TimeUnit.SECONDS)).as("free again for Java").isTrue();
            lock.writeLock().unlock();
        }
    }

    private static List<String> run(RegionOptions options, String... commands) throws Exception {
        Process process = start(options, commands);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = reader(process)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("posix_peer: %s", new String(process.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8)).isZero();
        return lines;
    }

    private static Process start(RegionOptions options, String... commands) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(BINARY.toAbsolutePath().toString(), options.file().toString(), "0"));
        command.addAll(List.of(commands));
        return new ProcessBuilder(command).start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
