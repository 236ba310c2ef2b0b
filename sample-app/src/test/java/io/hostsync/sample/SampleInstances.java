package io.hostsync.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hostsync.LockHolder;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.testing.JvmProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts instances of the sample on one region in a test's directory: in this JVM, where a test
 * can reach its beans, or in a real JVM of its own, as a second or third instance on the host.
 */
final class SampleInstances {

    static final Duration STARTUP = Duration.ofMinutes(2);

    private static final Pattern TOMCAT_STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    private SampleInstances() {
    }

    /**
     * Starts an instance in this JVM on a free port.
     *
     * @param directory the region directory every instance of the test shares
     * @param properties more properties, such as {@code quotes.refresh.interval=1h}
     * @return the running application
     */
    static ConfigurableApplicationContext startHere(Path directory, String... properties) {
        // As command line arguments: they override application.yml, which default properties would not.
        return new SpringApplicationBuilder(HostsyncSampleApplication.class)
                .run(arguments(directory, List.of("spring.main.banner-mode=off", "logging.level.root=warn"),
                        properties));
    }

    /**
     * Returns the HTTP port of an instance started here.
     *
     * @param context the instance
     * @return its port
     */
    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /**
     * Starts an instance in a JVM of its own, on a free port, and waits until it serves.
     *
     * @param directory the region directory every instance of the test shares
     * @param properties more properties, such as {@code quotes.refresh.fetch-time=10m}
     * @return the running instance
     */
    static SampleProcess startProcess(Path directory, String... properties) {
        JvmProcess process = JvmProcess.start(List.of(), HostsyncSampleApplication.class, arguments(directory,
                List.of("spring.main.banner-mode=off", "logging.pattern.console=%m%n"), properties));
        try {
            Matcher started = TOMCAT_STARTED.matcher(process.expect("Tomcat started on port", STARTUP));
            if (!started.find()) {
                throw new AssertionError("No port in the sample's start line");
            }
            return new SampleProcess(process, Integer.parseInt(started.group(1)), process.javaPid());
        } catch (RuntimeException | AssertionError ex) {
            process.close();
            throw ex;
        }
    }

    private static String[] arguments(Path directory, List<String> defaults, String... properties) {
        List<String> arguments = new ArrayList<>();
        arguments.add("--server.port=0");
        arguments.add("--hostsync.directory=" + directory);
        defaults.forEach((property) -> arguments.add("--" + property));
        for (String property : properties) {
            arguments.add("--" + property);
        }
        return arguments.toArray(String[]::new);
    }

    /**
     * Finds the slot an instance holds in the region, by its pid.
     *
     * @param region the region, opened by any instance
     * @param pid the instance's pid
     * @return its slot
     */
    static int slotOf(SharedRegion region, long pid) {
        return region.participants()
                .stream()
                .filter((participant) -> participant.pid() == pid)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("No participant with pid " + pid + " in " + region.participants()))
                .slot();
    }

    /**
     * Waits until the instance in {@code slot} is in the middle of a price refresh. A refresh that
     * finds the prices fresh holds the lock for an instant; one that fetches holds it as long as
     * the feed takes. So the same write hold must outlast two attempts of other instances that gave
     * up waiting for it.
     *
     * @param refresh the refresh lock, from any instance
     * @param slot the slot of the instance expected to refresh
     */
    static void awaitRefreshInProgress(RWLock refresh, int slot) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            LockHolder hold = writeHold(refresh, slot);
            if (hold != null) {
                long skipped = refresh.hostStatistics().timeouts();
                while (hold.equals(writeHold(refresh, slot)) && refresh.hostStatistics().timeouts() < skipped + 2
                        && System.nanoTime() < deadline) {
                    pause();
                }
                if (hold.equals(writeHold(refresh, slot)) && refresh.hostStatistics().timeouts() >= skipped + 2) {
                    return;
                }
            }
            pause();
        }
        throw new AssertionError("The instance in slot " + slot + " did not hold " + refresh + " through two attempts"
                + " of other instances within 60 s; holders: " + refresh.holders());
    }

    private static LockHolder writeHold(RWLock lock, int slot) {
        return lock.holders().stream().filter((holder) -> holder.slot() == slot && holder.writer()).findFirst()
                .map((holder) -> new LockHolder(holder.slot(), 0, true, 0, 0, holder.writeAcquisitions()))
                .orElse(null);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * An instance of the sample in a JVM of its own.
     *
     * @param process the JVM
     * @param port its HTTP port
     * @param pid the pid of its JVM
     */
    record SampleProcess(JvmProcess process, int port, long pid) implements AutoCloseable {

        /** Kills it with SIGKILL, as {@code kill -9} or the OOM killer would, and waits until it is gone. */
        void kill() {
            this.process.kill();
        }

        /** Stops it with SIGTERM, as an orchestrator would, and waits for it to exit. */
        @Override
        public void close() {
            ProcessHandle.of(this.pid).ifPresent((handle) -> {
                handle.destroy();
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception ex) {
                    handle.destroyForcibly();
                }
            });
            this.process.close();
        }
    }
}
