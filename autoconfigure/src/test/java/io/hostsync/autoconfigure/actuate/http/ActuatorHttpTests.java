package io.hostsync.autoconfigure.actuate.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.hostsync.LockStatistics;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real HTTP calls to {@code /actuator/hostsync}, {@code /actuator/health} and
 * {@code /actuator/prometheus} of a web application that uses hostsync.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,hostsync,prometheus",
        "management.endpoint.health.show-details=always", "hostsync.health.max-hold=200ms" })
@DirtiesContext
class ActuatorHttpTests {

    private static final String REGION = "http-" + UUID.randomUUID().toString().substring(0, 8);

    private static final String NAMED_LOCK = "cache-rebuild";

    private static Path directory;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    @Autowired
    SharedRegion region;

    @DynamicPropertySource
    static void regionProperties(DynamicPropertyRegistry registry) throws IOException {
        directory = Files.createTempDirectory("hostsync-http");
        registry.add("hostsync.directory", directory::toString);
        registry.add("hostsync.regions." + REGION + ".size", () -> "1MB");
        registry.add("hostsync.regions." + REGION + ".locks", () -> NAMED_LOCK);
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        FileSystemUtils.deleteRecursively(directory);
    }

    @Test
    void hostsyncEndpointDescribesTheRegionItsParticipantsAndItsLocks() throws Exception {
        RWLock lock = this.region.lock(NAMED_LOCK);
        lock.readLock().lock();
        lock.readLock().unlock();
        HttpResponse<String> response = get("/actuator/hostsync");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/vnd.spring-boot.actuator.v3+json"));
        DocumentContext json = JsonPath.parse(response.body());
        String region = "$.regions['" + REGION + "']";
        assertThat(json.read(region + ".file", String.class)).isEqualTo(this.region.file().toString());
        assertThat(json.read(region + ".size", Long.class)).isEqualTo(1024 * 1024);
        assertThat(json.read(region + ".used", Long.class)).isPositive();
        assertThat(json.read(region + ".created", String.class)).isEqualTo(this.region.header().created().toString());
        assertThat(json.read(region + ".participants.length()", Integer.class)).isOne();
        assertThat(json.read(region + ".participants[0].pid", Long.class)).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.read(region + ".participants[0].slot", Integer.class)).isEqualTo(this.region.slot());
        assertThat(json.read(region + ".participants[0].self", Boolean.class)).isTrue();
        assertThat(json.read(region + ".participants[0].host", String.class)).isNotBlank();
        assertThat(json.read(region + ".participants[0].since", String.class)).isNotBlank();
        Map<String, Object> locks = json.read(region + ".locks");
        assertThat(locks.keySet()).containsExactly("default", NAMED_LOCK);
        String named = region + ".locks['" + NAMED_LOCK + "']";
        assertThat(json.read(named + ".possiblyTorn", Boolean.class)).isFalse();
        assertThat(json.read(named + ".host.readAcquisitions", Long.class)).isOne();
        assertThat(json.read(named + ".host.writerSlot", Integer.class)).isEqualTo(-1);
        assertThat(json.read(named + ".host.recoveries", Long.class)).isZero();
        assertThat(json.read(named + ".process.readAcquisitions", Long.class)).isOne();
        assertThat(json.read(named + ".holders.length()", Integer.class)).isZero();
    }

    @Test
    void hostsyncEndpointShowsOneRegionBySelectorAndAnswers404ForAnUnknownOne() throws Exception {
        HttpResponse<String> response = get("/actuator/hostsync/" + REGION);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).read("$.participants[0].pid", Long.class))
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(get("/actuator/hostsync/no-such-region").statusCode()).isEqualTo(404);
    }

    @Test
    void healthIsDownWhileAWriteLockIsHeldLongerThanTheMaximumAndUpOnceReleased() throws Exception {
        HttpResponse<String> up = get("/actuator/health");
        assertThat(up.statusCode()).isEqualTo(200);
        DocumentContext upJson = JsonPath.parse(up.body());
        assertThat(upJson.read("$.components.hostsync.status", String.class)).isEqualTo("UP");
        assertThat(upJson.read("$.components.hostsync.details.maxHoldMillis", Long.class)).isEqualTo(200);
        assertThat(upJson.read("$.components.hostsync.details.regions['" + REGION + "'].participants", Integer.class))
                .isOne();
        RWLock lock = this.region.lock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            lock.writeLock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                lock.writeLock().unlock();
            }
        });
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health").statusCode() == 503);
            DocumentContext down = JsonPath.parse(get("/actuator/health").body());
            assertThat(down.read("$.status", String.class)).isEqualTo("DOWN");
            assertThat(down.read("$.components.hostsync.status", String.class)).isEqualTo("DOWN");
            String defaultLock = "$.components.hostsync.details.regions['" + REGION + "'].locks.default";
            assertThat(down.read(defaultLock + ".state", String.class)).isEqualTo("write");
            assertThat(down.read(defaultLock + ".writerPid", Long.class)).isEqualTo(ProcessHandle.current().pid());
            assertThat(down.read(defaultLock + ".heldForAtLeastMillis", Long.class)).isGreaterThan(200);
            assertThat(down.read("$.components.hostsync.details.problems[0]", String.class))
                    .startsWith("Lock 'default' of region '" + REGION + "' has been write-held by slot "
                            + this.region.slot())
                    .contains("longer than hostsync.health.max-hold (200 ms)");
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        }
        HttpResponse<String> upAgain = get("/actuator/health");
        assertThat(upAgain.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(upAgain.body()).read("$.components.hostsync.status", String.class)).isEqualTo("UP");
    }

    @Test
    void prometheusShowsEveryHostsyncMeterForEveryConfiguredLock() throws Exception {
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        lock.writeLock().unlock();
        LockStatistics host = lock.hostStatistics();
        LockStatistics process = lock.processStatistics();
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = response.body().lines().toList();
        String defaultLock = "lock=\"default\",region=\"" + REGION + "\"";
        String namedLock = "lock=\"" + NAMED_LOCK + "\",region=\"" + REGION + "\"";
        assertThat(lines).contains(
                "hostsync_lock_acquire_seconds_count{" + defaultLock + ",scope=\"host\"} " + host.acquisitions(),
                "hostsync_lock_acquire_seconds_count{" + defaultLock + ",scope=\"process\"} " + process.acquisitions(),
                "hostsync_lock_acquire_seconds_count{" + namedLock + ",scope=\"host\"} 0",
                "hostsync_lock_acquire_seconds_sum{" + namedLock + ",scope=\"host\"} 0.0",
                "hostsync_lock_waiting{lock=\"default\",mode=\"write\",region=\"" + REGION + "\",scope=\"host\"} 0.0",
                "hostsync_lock_holders{lock=\"default\",mode=\"write\",region=\"" + REGION + "\",scope=\"host\"} 0.0",
                "hostsync_lock_holders{lock=\"default\",mode=\"read\",region=\"" + REGION + "\",scope=\"process\"} 0.0",
                "hostsync_lock_waiting{lock=\"default\",mode=\"read\",region=\"" + REGION + "\",scope=\"host\"} 0.0",
                "hostsync_lock_timeouts_total{" + defaultLock + ",scope=\"host\"} 0.0",
                "hostsync_lock_recoveries_total{" + defaultLock + ",scope=\"host\"} 0.0",
                "hostsync_lock_contended_total{" + namedLock + ",scope=\"process\"} 0.0",
                "hostsync_lock_possibly_torn{" + defaultLock + "} 0.0",
                "hostsync_lock_possibly_torn{" + namedLock + "} 0.0",
                "hostsync_lock_hold_seconds_count{lock=\"default\",mode=\"write\",region=\"" + REGION + "\"} 0",
                "hostsync_lock_wait_seconds_count{lock=\"default\",mode=\"read\",outcome=\"timeout\",region=\"" + REGION
                        + "\"} 0",
                "hostsync_region_size_bytes{region=\"" + REGION + "\"} 1048576.0",
                "hostsync_region_used_bytes{region=\"" + REGION + "\"} " + (double) this.region.usedBytes(),
                "hostsync_region_participants{region=\"" + REGION + "\"} 1.0");
        assertThat(lines).filteredOn((line) -> line.startsWith("hostsync_"))
                .noneMatch((line) -> line.contains("pid=") || line.contains("thread="));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
        return this.client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
