package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region file removed, replaced or truncated while real JVMs hold and wait for its locks and
 * change its counters: every one of them learns within a second, stops with a
 * {@link RegionLostException} naming the file, and none crashes, hangs or spins.
 */
class LiveRegionIntegrityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The watchdog's promise: a lost region is failed within this long. */
    private static final long DETECTION_MILLIS = 1000;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path crashReports;

    @Test
    void aRegionFileTruncatedWhileInUseFailsEveryProcessWithinASecondAndCrashesNone() throws IOException {
        RegionOptions options = regions.options("truncated").build();
        List<JvmProcess> workers = startWorkers(options, 2);
        try {
            long at = System.currentTimeMillis();
            try (FileChannel channel = FileChannel.open(options.file(), StandardOpenOption.WRITE)) {
                channel.truncate(0); // what 'truncate -s 0' or '> file' does
            }
            for (JvmProcess worker : workers) {
                assertEveryThreadStoppedWithRegionLost(worker, options, at, "truncated");
            }
            assertExitedCleanly(workers);
        } finally {
            workers.forEach(JvmProcess::close);
        }
    }

    @Test
    void aRegionFileRemovedWhileInUseFailsEveryProcessAndANewcomerGetsAFreshRegionTheOthersRefuse() throws IOException {
        RegionOptions options = regions.options("removed").build();
        List<JvmProcess> workers = startWorkers(options, 2);
        try {
            long at = System.currentTimeMillis();
            Files.delete(options.file()); // what 'rm' does
            for (JvmProcess worker : workers) {
                assertEveryThreadStoppedWithRegionLost(worker, options, at, "removed");
            }
            assertNewcomerGetsAFreshRegionWhileTheOthersRefuse(options, workers);
            assertExitedCleanly(workers);
        } finally {
            workers.forEach(JvmProcess::close);
        }
    }

    @Test
    void aRegionFileReplacedByACopyWhileInUseFailsEveryProcessAndANewcomerGetsAFreshRegionTheOthersRefuse()
            throws IOException {
        RegionOptions options = regions.options("replaced").build();
        List<JvmProcess> workers = startWorkers(options, 2);
        try {
            Path copy = options.directory().resolve(options.file().getFileName() + ".copy");
            Files.copy(options.file(), copy); // a backup taken while in use, restored over the live file
            long at = System.currentTimeMillis();
            Files.move(copy, options.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (JvmProcess worker : workers) {
                assertEveryThreadStoppedWithRegionLost(worker, options, at, "replaced");
            }
            assertNewcomerGetsAFreshRegionWhileTheOthersRefuse(options, workers);
            assertExitedCleanly(workers);
        } finally {
            workers.forEach(JvmProcess::close);
        }
    }

    private List<JvmProcess> startWorkers(RegionOptions options, int count) {
        List<JvmProcess> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JvmProcess worker = JvmProcess.start(List.of("env", "JAVA_TOOL_OPTIONS=-XX:ErrorFile=" + crashReports
                    + "/hs_err_%p.log"), LiveRegionWorker.class, options.directory().toString(), options.name());
            workers.add(worker);
            worker.expect("READY", TIMEOUT);
        }
        workers.forEach(worker -> worker.expect("RUNNING", TIMEOUT));
        sleep(300); // every thread is at work: holding, waiting, counting
        return workers;
    }

    /**
     * The worker learns of the loss within a second of the event, and every one of its threads
     * stops with the clear exception. After a truncation, a thread may instead meet HotSpot's
     * asynchronous {@link InternalError} for a fault it took before the loss was known: HotSpot
     * delivers it where it pleases, possibly in the application's own code, so hostsync cannot
     * always turn it into its exception; it must never crash the JVM or keep a thread spinning.
     */
    private static void assertEveryThreadStoppedWithRegionLost(JvmProcess worker, RegionOptions options, long at,
            String what) {
        List<Map<String, String>> exceptions = new ArrayList<>();
        Map<String, String> lost = null;
        String line;
        do {
            line = worker.expect("", Duration.ofSeconds(20));
            if (line.startsWith("EXCEPTION ")) {
                exceptions.add(fieldsWithMessage(line));
            } else if (line.startsWith("LOST ")) {
                lost = Lines.fields(line);
                lost.put("reason", line.substring(line.indexOf(" reason=") + " reason=".length()));
            }
        } while (!line.startsWith("STOPPED") && !line.startsWith("STUCK"));
        assertThat(line).as("threads still running 10 s after the first stopped: a hang or a livelock; exceptions: %s",
                exceptions).isEqualTo("STOPPED");
        assertThat(lost).as("SharedRegion.failure() never reported the loss").isNotNull();
        assertThat(Long.parseLong(lost.get("at")) - at).as("milliseconds from the file being %s to failure()", what)
                .isLessThan(DETECTION_MILLIS);
        assertThat(lost.get("reason")).contains(options.file().toString()).contains(what);
        assertThat(exceptions).hasSize(6);
        boolean hotspotFaultAllowed = what.equals("truncated");
        for (Map<String, String> exception : exceptions) {
            if (hotspotFaultAllowed && exception.get("type").equals("java.lang.InternalError")) {
                assertThat(exception.get("message")).as("%s", exception).contains("unsafe memory access");
                continue;
            }
            assertThat(exception.get("type")).as("exception of thread %s: %s", exception.get("thread"), exception)
                    .isEqualTo("io.hostsync.RegionLostException");
            assertThat(exception.get("message")).contains(options.file().toString()).contains(what);
        }
        assertThat(exceptions).as("at least the threads that went on using the region were told clearly")
                .anyMatch(exception -> exception.get("type").equals("io.hostsync.RegionLostException"));
        assertIdle(worker);
    }

    private static void assertNewcomerGetsAFreshRegionWhileTheOthersRefuse(RegionOptions options,
            List<JvmProcess> workers) {
        try (SharedRegion newcomer = SharedRegion.open(options)) {
            assertThat(newcomer.lock("guarded").writeLock().tryLock()).isTrue();
            try {
                for (JvmProcess worker : workers) {
                    worker.send("try");
                    Map<String, String> outcome = fieldsWithMessage(worker.expect("TRY", TIMEOUT));
                    assertThat(outcome.get("outcome")).as("an old process's attempt: %s", outcome).isEqualTo("refused");
                    assertThat(outcome.get("type")).isEqualTo("io.hostsync.RegionLostException");
                }
            } finally {
                newcomer.lock("guarded").writeLock().unlock();
            }
        }
    }

    /**
     * Once every thread has stopped, nothing in the worker keeps burning CPU: no hidden thread
     * (a lock's relay, the watchdog) spins on the lost region. A wide margin: 0.5 s of CPU in 1 s.
     */
    private static void assertIdle(JvmProcess worker) {
        worker.send("cpu");
        long before = Long.parseLong(Lines.fields(worker.expect("CPU", TIMEOUT)).get("nanos"));
        assertThat(before).as("the worker's CPU time is known").isPositive();
        sleep(1000);
        worker.send("cpu");
        long after = Long.parseLong(Lines.fields(worker.expect("CPU", TIMEOUT)).get("nanos"));
        assertThat(after - before).as("CPU nanoseconds used in one idle second after the loss")
                .isLessThan(500_000_000L);
    }

    /** No JVM died of a signal (134: abort after a crash, 135: SIGBUS) and none wrote a crash report. */
    private void assertExitedCleanly(List<JvmProcess> workers) throws IOException {
        for (JvmProcess worker : workers) {
            worker.send("exit");
            assertThat(worker.waitFor(TIMEOUT)).as("exit code (134: crashed, 135: SIGBUS); stderr: %s", worker.errors())
                    .isZero();
        }
        try (Stream<Path> reports = Files.list(crashReports)) {
            assertThat(reports).as("hs_err crash reports").isEmpty();
        }
    }

    /** The fields of a line, the last one, {@code message}, taking the rest of the line with its spaces. */
    private static Map<String, String> fieldsWithMessage(String line) {
        Map<String, String> fields = Lines.fields(line);
        int message = line.indexOf(" message=");
        if (message >= 0) {
            fields.put("message", line.substring(message + " message=".length()));
        }
        return fields;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
