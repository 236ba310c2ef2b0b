package io.hostsync.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.hostsync.sample.SampleInstances.SampleProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile {@code cohort} on two simulated hosts against one real {@code redis-server}: two
 * region directories, two instances (real JVMs) each, all incrementing the cluster-wide counter in
 * Redis at once with a read-modify-write. A host-wide lock alone would lose updates between the
 * hosts; the cohort lock loses none, each host takes the lease in Redis, and within a host the
 * lease passes between instances without Redis (local handoffs).
 */
class TwoHostGroupsTests {

    private static final int INCREMENTS = 160;

    private static final int CLIENTS = 16;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void concurrentIncrementsFromTwoHostsAreNeverLost() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path hostA = Files.createDirectories(Path.of("/dev/shm", "hostsync-test-" + run + "-a"));
        Path hostB = Files.createDirectories(Path.of("/dev/shm", "hostsync-test-" + run + "-b"));
        List<SampleProcess> instances = new ArrayList<>();
        List<Future<SampleProcess>> starting = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try (RedisServer redis = new RedisServer()) {
            for (Path host : List.of(hostA, hostA, hostB, hostB)) {
                starting.add(threads.submit(() -> SampleInstances.startProcess(host, "spring.profiles.active=cohort",
                        "spring.data.redis.port=" + redis.port, "quotes.refresh.interval=1h")));
            }
            for (Future<SampleProcess> instance : starting) {
                instances.add(instance.get(SampleInstances.STARTUP.toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(Http.json(instances.get(0).port(), "/cluster/counter").read("$.value", Long.class)).isZero();

            List<Future<HttpResponse<String>>> increments = new ArrayList<>();
            for (int i = 0; i < INCREMENTS; i++) {
                int port = instances.get(i % instances.size()).port();
                increments.add(threads.submit(() -> Http.post(port, "/cluster/counter")));
            }
            List<String> failures = new ArrayList<>();
            TreeSet<Long> values = new TreeSet<>();
            for (Future<HttpResponse<String>> increment : increments) {
                HttpResponse<String> response = increment.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    values.add(JsonPath.parse(response.body()).read("$.value", Long.class));
                } else {
                    failures.add(response.statusCode() + " " + response.body());
                }
            }
            int acknowledged = INCREMENTS - failures.size();
            assertThat(failures).as("increments that were not acknowledged").isEmpty();
            for (SampleProcess instance : instances) {
                assertThat(Http.json(instance.port(), "/cluster/counter").read("$.value", Long.class))
                        .as("the counter after %d acknowledged increments, read on :%d", acknowledged, instance.port())
                        .isEqualTo(acknowledged);
            }
            assertThat(values).as("each increment saw the one before it: one after another, across hosts")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, acknowledged).boxed().toList());

            Map<String, List<DocumentContext>> byHost = instances.stream()
                    .map((instance) -> Http.json(instance.port(), "/api/status"))
                    .collect(Collectors.groupingBy((status) -> status.read("$.cluster.hostGroup", String.class)));
            assertThat(byHost).containsOnlyKeys(hostA.toString(), hostB.toString());
            byHost.forEach((host, statuses) -> {
                long remote = statuses.stream().mapToLong((s) -> s.read("$.cluster.remoteAcquisitions", Long.class))
                        .sum();
                long handoffs = statuses.stream().mapToLong((s) -> s.read("$.cluster.localHandoffs", Long.class))
                        .sum();
                assertThat(remote).as("leases host %s took from Redis", host).isPositive();
                assertThat(handoffs).as("increments on host %s that ran under the host's lease", host).isPositive();
            });
            assertThat(Http.get(instances.get(0).port(), "/actuator/prometheus").body())
                    .containsPattern("hostsync_cohort_remote_acquisitions_total\\{[^}]*lock=\"cluster-counter\"")
                    .containsPattern("hostsync_cohort_local_handoffs_total\\{[^}]*lock=\"cluster-counter\"");
            assertThat(Http.json(instances.get(3).port(), "/actuator/health").read("$.status", String.class))
                    .isEqualTo("UP");
        } finally {
            threads.shutdownNow(); // an instance still starting stops itself when interrupted
            for (Future<SampleProcess> instance : starting) {
                started(instance).ifPresent(SampleProcess::close);
            }
            RedisServer.delete(hostA);
            RedisServer.delete(hostB);
        }
    }

    private static Optional<SampleProcess> started(Future<SampleProcess> instance) throws InterruptedException {
        try {
            return Optional.of(instance.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException | CancellationException ex) {
            return Optional.empty();
        }
    }
}
