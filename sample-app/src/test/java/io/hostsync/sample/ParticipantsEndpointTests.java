package io.hostsync.sample;

import java.nio.file.Path;

import io.hostsync.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls {@code GET /participants} over HTTP on a running server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext // closes the region before the temporary directory is deleted
class ParticipantsEndpointTests {

    @TempDir
    static Path directory;

    @LocalServerPort
    int port;

    @Autowired
    SharedRegion region;

    @DynamicPropertySource
    static void regionInTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("hostsync.directory", directory::toString);
    }

    @Test
    void participantsListsThisProcess() {
        RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();

        RegionParticipants body = client.get()
            .uri("/participants")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(RegionParticipants.class)
            .returnResult()
            .getResponseBody();

        assertThat(body).isNotNull();
        assertThat(body.region()).isEqualTo("sample");
        assertThat(body.file()).isEqualTo(directory.resolve("hostsync-sample").toString());
        assertThat(body.size()).isEqualTo(1024 * 1024);
        assertThat(body.slot()).isEqualTo(this.region.slot());
        assertThat(body.participants()).singleElement().satisfies((participant) -> {
            assertThat(participant.self()).isTrue();
            assertThat(participant.slot()).isEqualTo(body.slot());
            assertThat(participant.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(participant.since()).isNotNull();
        });
    }
}
