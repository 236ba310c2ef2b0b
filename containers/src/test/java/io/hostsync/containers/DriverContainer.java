package io.hostsync.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One container running the driver application ({@code io.hostsync.containers.driver}) as its
 * only process, so that the JVM is PID 1 of the container's own PID namespace. It has no network:
 * the tests reach the driver's endpoints with {@code curl} run inside the container, on loopback.
 */
final class DriverContainer extends GenericContainer<DriverContainer> {

    /** How long a driver may take to start: three Spring applications start at once on two cores. */
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    /**
     * The label of every container the tests start: a test JVM killed before it could remove its
     * containers (there is no Ryuk here) leaves them behind, and
     * {@code docker rm -f $(docker ps -aq --filter label=io.hostsync.containers)} removes them.
     */
    static final String LABEL = "io.hostsync.containers";

    /** What the driver logs once its web server is up. */
    static final String STARTED = "Started DriverApplication";

    private static final String MAIN_CLASS = "io.hostsync.containers.driver.DriverApplication";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Pattern HTTP_STATUS = Pattern.compile("\\n(\\d{3})$");

    private final String service;

    private final List<Bind> binds = new ArrayList<>();

    /**
     * Creates a driver container; {@link Cluster} configures its IPC mode, environment and
     * volumes from a Compose service.
     *
     * @param service the service name, also the container's host name
     */
    DriverContainer(String service) {
        super(DockerImageName.parse(DriverImage.get().name()));
        this.service = service;
        DriverImage image = DriverImage.get();
        this.binds.addAll(image.runtimeMounts());
        List<String> classpath = driverClasspath();
        classpath.forEach((entry) -> this.binds.add(readOnly(entry)));
        // Set on the create command rather than with withFileSystemBind, for which Testcontainers
        // first tries to pull alpine, to check that mounts work.
        withCreateContainerCmdModifier((create) -> create.getHostConfig().withBinds(this.binds));
        List<String> command = new ArrayList<>(image.java());
        command.add("-cp");
        command.add(String.join(":", classpath));
        command.add(MAIN_CLASS);
        withCommand(command.toArray(String[]::new));
        withNetworkMode("none");
        withLabel(LABEL, "test");
        withCreateContainerCmdModifier((create) -> create.withHostName(service));
        waitingFor(new DriverStarted(1).withStartupTimeout(STARTUP_TIMEOUT));
    }

    /**
     * Mounts a host directory, writable, as {@code docker run -v host:container} does.
     *
     * @param hostPath the host directory
     * @param containerPath where the container sees it
     * @return this container
     */
    DriverContainer withDirectory(Path hostPath, String containerPath) {
        this.binds.add(new Bind(hostPath.toAbsolutePath().toString(), new Volume(containerPath), AccessMode.rw));
        return this;
    }

    /**
     * Makes {@link #start()} return as soon as the container runs, for a driver that is expected
     * to fail at startup; {@link #awaitExit(Duration)} then waits for its end.
     *
     * @return this container
     */
    DriverContainer expectingStartupFailure() {
        withStartupCheckStrategy(new StartupCheckStrategy() {
            @Override
            public StartupStatus checkStartupState(DockerClient docker, String containerId) {
                return StartupStatus.SUCCESSFUL;
            }
        });
        return waitingFor(new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
            }
        });
    }

    /**
     * Calls an endpoint of the driver, inside the container.
     *
     * @param method the HTTP method
     * @param path the path and query, such as {@code /driver/self}
     * @param jsonBody a JSON body, or {@code null}
     * @return the answer
     */
    Response call(String method, String path, String jsonBody) {
        List<String> curl = new ArrayList<>(
                List.of("curl", "-sS", "--max-time", "120", "-X", method, "-w", "\n%{http_code}"));
        if (jsonBody != null) {
            curl.addAll(List.of("-H", "Content-Type: application/json", "--data", jsonBody));
        }
        curl.add("http://127.0.0.1:8080" + path);
        ExecResult result;
        try {
            result = execInContainer(curl.toArray(String[]::new));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + path + " in " + this.service, ex);
        }
        Matcher status = HTTP_STATUS.matcher(result.getStdout());
        if (result.getExitCode() != 0 || !status.find()) {
            throw new AssertionError(method + " " + path + " in " + this.service + " failed: exit code "
                    + result.getExitCode() + ", " + result.getStderr() + result.getStdout() + "; the driver's log:\n"
                    + tail(getLogs()));
        }
        String body = result.getStdout().substring(0, status.start());
        return new Response(Integer.parseInt(status.group(1)), body);
    }

    /**
     * Calls {@code GET path} and expects 200.
     *
     * @param path the path and query
     * @return the JSON answer
     */
    JsonNode get(String path) {
        return call("GET", path, null).ok(this.service);
    }

    /**
     * Calls {@code POST path} and expects 200 or 202.
     *
     * @param path the path and query
     * @return the JSON answer
     */
    JsonNode post(String path) {
        return call("POST", path, null).ok(this.service);
    }

    /**
     * Calls {@code PUT path} with a JSON body and expects 200.
     *
     * @param path the path and query
     * @param json the body
     * @return the JSON answer
     */
    JsonNode put(String path, String json) {
        return call("PUT", path, json).ok(this.service);
    }

    /**
     * Waits until the driver has started {@code count} times in this container's life: after
     * {@code docker restart}, twice.
     *
     * @param count the number of starts
     */
    void awaitStarts(int count) {
        new DriverStarted(count).withStartupTimeout(STARTUP_TIMEOUT).waitUntilReady(this);
    }

    /**
     * Waits until the container has stopped.
     *
     * @param timeout how long to wait
     * @return the exit code of its process
     * @throws AssertionError if it still runs after the timeout
     */
    long awaitExit(Duration timeout) {
        try {
            return Poll.await(this.service + " exiting", timeout, Duration.ofMillis(100))
                    .until(() -> getDockerClient().inspectContainerCmd(getContainerId()).exec().getState(),
                            (state) -> !Boolean.TRUE.equals(state.getRunning()))
                    .getExitCodeLong();
        } catch (ConditionTimeoutException ex) {
            throw new AssertionError(this.service + " still runs after " + timeout + "; its log:\n" + tail(getLogs()),
                    ex);
        }
    }

    /**
     * Sends SIGKILL to the container's process, as {@code docker kill} does, and returns once
     * Docker has seen it die.
     */
    void kill() {
        getDockerClient().killContainerCmd(getContainerId()).withSignal("KILL").exec();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * Restarts the container, as {@code docker restart} does: its JVM is stopped (SIGTERM) and
     * a new one starts in the same container.
     */
    void restart() {
        int starts = countStarts(getLogs());
        getDockerClient().restartContainerCmd(getContainerId()).withTimeout(10).exec();
        awaitStarts(starts + 1);
    }

    @Override
    public String toString() {
        return this.service;
    }

    /** The last lines of a log, enough to see why a driver failed. */
    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }

    private static int countStarts(String log) {
        int count = 0;
        for (int at = log.indexOf(STARTED); at >= 0; at = log.indexOf(STARTED, at + 1)) {
            count++;
        }
        return count;
    }

    /**
     * Returns a read-only bind mount of a host path at the same path in the container.
     *
     * @param path the host path
     * @return the bind
     */
    static Bind readOnly(String path) {
        return new Bind(path, new Volume(path), AccessMode.ro);
    }

    /**
     * The driver's class path, each entry to be mounted read-only at its host path: the module's
     * classes and the run-time jars Maven listed in {@code hostsync.driver.classpath-file}, or,
     * run from an IDE without it, this JVM's class path.
     */
    private static List<String> driverClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        String classes = System.getProperty("hostsync.driver.classes");
        String file = System.getProperty("hostsync.driver.classpath-file");
        try {
            if (classes != null && file != null && Files.isRegularFile(Path.of(file))) {
                entries.add(classes);
                entries.addAll(List.of(Files.readString(Path.of(file)).trim().split(":")));
            } else {
                entries.addAll(List.of(System.getProperty("java.class.path").split(":")));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<String> mounted = new ArrayList<>();
        for (String entry : entries) {
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.exists(path)) {
                mounted.add(path.toString());
            }
        }
        return mounted;
    }

    /**
     * An answer of the driver.
     *
     * @param status the HTTP status
     * @param body the body
     */
    record Response(int status, String body) {

        /**
         * Returns the body as JSON.
         *
         * @return the JSON tree
         */
        JsonNode json() {
            return JSON.readTree(this.body);
        }

        /**
         * Returns the body as JSON, if the status says the call succeeded.
         *
         * @param service the service that answered, for the failure message
         * @return the JSON tree
         * @throws AssertionError on any status but 200 and 202
         */
        JsonNode ok(String service) {
            if (this.status != 200 && this.status != 202) {
                throw new AssertionError(service + " answered " + this.status + ": " + this.body);
            }
            return json();
        }
    }

    /**
     * Waits until the driver has logged {@value #STARTED} a number of times, and fails at once,
     * with the driver's log, if the container stops first.
     */
    private final class DriverStarted extends AbstractWaitStrategy {

        private final int starts;

        DriverStarted(int starts) {
            this.starts = starts;
        }

        @Override
        protected void waitUntilReady() {
            String driver = "the driver in " + DriverContainer.this.service;
            try {
                Poll.await(driver + " starting", this.startupTimeout, Poll.INTERVAL)
                        .failFast(driver + " exited during startup", () -> !this.waitStrategyTarget.isRunning())
                        .until(() -> countStarts(this.waitStrategyTarget.getLogs()) >= this.starts);
            } catch (TerminalFailureException ex) {
                throw new ContainerLaunchException("The driver in " + DriverContainer.this.service
                        + " exited during startup; its log:\n" + tail(this.waitStrategyTarget.getLogs()), ex);
            } catch (ConditionTimeoutException ex) {
                throw new ContainerLaunchException("The driver in " + DriverContainer.this.service + " did not log '"
                        + STARTED + "' within " + this.startupTimeout + "; its log:\n"
                        + tail(this.waitStrategyTarget.getLogs()), ex);
            }
        }
    }
}
