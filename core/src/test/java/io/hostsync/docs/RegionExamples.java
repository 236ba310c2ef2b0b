package io.hostsync.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.hostsync.Backend;
import io.hostsync.Participant;
import io.hostsync.RegionInUseException;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.testing.TestRegions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region examples of the docs (getting-started.md), run. Each example sits between
 * {@code tag::} and {@code end::} comments and is copied into the docs verbatim; the code around
 * it sets up what the docs take for granted and checks that the example did what the docs say.
 */
class RegionExamples {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path persistent;

    @Test
    void openingARegionListsThisProcessAmongItsParticipants() {
        String regionName = regions.name("orders");
        String printed = printedBy(() -> {
            // tag::open-region[]
            RegionOptions options = RegionOptions.builder(regionName) // the file is /dev/shm/hostsync-<regionName>
                    .size(4 * 1024 * 1024) // every process must ask for the same size
                    .build();
            try (SharedRegion region = SharedRegion.open(options)) {
                for (Participant p : region.participants()) {
                    System.out.printf("slot %d: pid %d on %s since %s%n", p.slot(), p.pid(), p.host(), p.since());
                }
            }
            // end::open-region[]
        });
        assertThat(printed).startsWith("slot 0: pid " + ProcessHandle.current().pid() + " on ");
        assertThat(Path.of("/dev/shm/hostsync-" + regionName)).isRegularFile();
    }

    @Test
    void aRegionWithThePosixBackendLocksWithAPthreadRwlock() {
        String regionName = regions.name("prices");
        // tag::posix-backend[]
        RegionOptions options = RegionOptions.builder(regionName)
                .backend(Backend.POSIX) // a pthread_rwlock that C and Python programs can share
                .build(); // every process must use the same backend
        // end::posix-backend[]
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.options().backend()).isEqualTo(Backend.POSIX);
            region.lock().writeLock().lock();
            try {
                assertThat(region.lock().hostStatistics().writerSlot()).isEqualTo(region.slot());
            } finally {
                region.lock().writeLock().unlock();
            }
        }
    }

    @Test
    void aRegionInAPersistentDirectoryOutlivesItsProcesses() {
        Path directory = persistent;
        // tag::persistent-region[]
        RegionOptions options = RegionOptions.builder("orders")
                .directory(directory) // a directory on disk: the region outlives a reboot
                .fileMode(0660) // shared with the group, for processes of several users
                .build();
        // end::persistent-region[]
        try (SharedRegion region = SharedRegion.open(options)) {
            region.state().counter("orders.created").incrementAndGet();
        }
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.createdByThisProcess()).isFalse();
            assertThat(region.state().counter("orders.created").get()).isEqualTo(1);
        }
        assertThat(directory.resolve("hostsync-orders")).isRegularFile();
    }

    @Test
    void aRegionIsDeletedOnlyWhenNoProcessHasItOpen() {
        String regionName = regions.name("deleted");
        SharedRegion open = SharedRegion.open(RegionOptions.builder(regionName).build());
        assertThatExceptionOfType(RegionInUseException.class)
                .isThrownBy(() -> SharedRegion.delete(RegionOptions.builder(regionName).build()));
        open.close();
        // tag::delete-region[]
        boolean deleted = SharedRegion.delete(RegionOptions.builder(regionName).build()); // refused while any process has it open
        // end::delete-region[]
        assertThat(deleted).isTrue();
        assertThat(Files.exists(Path.of("/dev/shm/hostsync-" + regionName))).isFalse();
    }

    /** Runs an example that prints, and returns what it printed. */
    static String printedBy(Runnable example) {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(console);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        console.print(text);
        return text;
    }
}
