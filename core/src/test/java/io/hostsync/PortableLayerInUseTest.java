package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.os.Platform;
import io.hostsync.internal.os.PortableRegionDescriptor;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.TestRegions;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs only in the {@code portable-layer} surefire execution ({@code -Dhostsync.portable=true}),
 * where the region, lock, state and kill suites run again on the layer that macOS and Windows
 * use. It checks that they really did, and that the layer needs no native code at all.
 */
class PortableLayerInUseTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** jnr-ffi and jffi (and their assemblers): the native half of hostsync. */
    private static final Predicate<String> NATIVE = entry -> entry.contains("jnr") || entry.contains("jffi");

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void regionsOfThisJvmAreOpenedThroughTheFileChannelLayer() {
        assertThat(Platform.portable()).as("this execution sets -Dhostsync.portable=true").isTrue();
        try (SharedRegion region = SharedRegion.open(regions.options("portable").build())) {
            assertThat(region.file().toString()).endsWith("hostsync-" + region.name());
            assertThat(region.descriptor()).isInstanceOf(PortableRegionDescriptor.class);
            assertThat(region.participants()).singleElement().satisfies(self -> {
                assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(self.self()).isTrue();
            });
        }
    }

    @Test
    void thePosixBackendIsRefusedBecauseItNeedsTheNativeLayer() {
        RegionOptions options = regions.options("portable-posix").backend(Backend.POSIX).build();
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(BackendRefusedException.class)
                .hasMessageContaining("cannot use the posix lock backend here")
                .hasMessageContaining("portable one (-Dhostsync.portable=true is set)")
                .hasMessageContaining("Use backend robust");
    }

    @Test
    void closingAnotherHandleOfTheRegionInThisJvmLosesNoLock() {
        for (Backend backend : List.of(Backend.ROBUST, Backend.FILE)) {
            RegionOptions options = regions.options("second-handle-" + backend.configName()).backend(backend).build();
            try (SharedRegion region = SharedRegion.open(options)) {
                RWLock lock = region.lock();
                lock.writeLock().lock();
                try (JvmProcess writer = JvmProcess.start(List.of(), LockWorker.class, options.directory().toString(),
                        options.name(), "0", "writes", "1", "1", "0", backend.configName())) {
                    writer.expect("READY", TIMEOUT);
                    SharedRegion.open(options).close(); // POSIX record locks die with any close of the file
                    writer.send("go");
                    assertThatThrownBy(() -> writer.expect("DONE", Duration.ofMillis(700)))
                            .as("%s: the other process waits for this one's write lock", backend)
                            .hasMessageContaining("No line starting with 'DONE'");
                    lock.writeLock().unlock();
                    assertThat(Lines.fields(writer.expect("DONE", TIMEOUT)).get("violations")).isEqualTo("0");
                } finally {
                    if (lock.isWriteLockedByCurrentThread()) {
                        lock.writeLock().unlock();
                    }
                }
            }
        }
    }

    @Test
    void jvmsWithoutJnrFfiShareTheLockWithEachOtherOnBothBackends() throws Exception {
        String[] classPath = System.getProperty("java.class.path").split(File.pathSeparator);
        assertThat(Arrays.stream(classPath).filter(NATIVE)).as("the class path this test leaves out").isNotEmpty();
        for (Backend backend : List.of(Backend.ROBUST, Backend.FILE)) {
            RegionOptions options = regions.options("no-native-" + backend.configName()).backend(backend).build();
            List<JvmProcess> workers = new ArrayList<>();
            try {
                for (int id = 0; id < 3; id++) {
                    workers.add(JvmProcess.start(List.of(), NATIVE.negate(), LockWorker.class,
                            options.directory().toString(),
                            options.name(), String.valueOf(id), "mixed", "2", "2000", "0", backend.configName()));
                }
                for (JvmProcess worker : workers) {
                    worker.expect("READY", TIMEOUT);
                }
                workers.forEach(worker -> worker.send("go"));
                long writes = 0;
                for (JvmProcess worker : workers) {
                    Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
                    assertThat(done.get("violations")).as("%s: %s %s", backend, done, worker.errors()).isEqualTo("0");
                    assertThat(done.get("ops")).isEqualTo("4000");
                    writes += Long.parseLong(done.get("writes"));
                }
                try (SharedRegion region = SharedRegion.open(options)) {
                    assertThat(LockWorker.consistent(region)).isTrue();
                    assertThat(LockWorker.writes(region)).as("every write of every process counted once")
                            .isEqualTo(writes)
                            .isPositive();
                }
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }
}
