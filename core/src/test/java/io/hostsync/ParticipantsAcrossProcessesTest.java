package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.RegionProbe;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Participants in other JVMs, and in other PID namespaces where every JVM is PID 1: each gets
 * its own slot, the kernel tells when one dies, and its slot is reused.
 */
class ParticipantsAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void jvmsInSeparatePidNamespacesGetDistinctSlotsThoughTheirPidsAreEqual() {
        Root.require();
        RegionOptions options = regions.options("pidns").build();
        try (JvmProcess first = probeInPidNamespace(options);
                JvmProcess second = probeInPidNamespace(options);
                SharedRegion observer = SharedRegion.open(options)) {
            Map<String, String> one = open(first);
            Map<String, String> two = open(second);
            assertThat(one.get("pid")).as("PID 1 of its own namespace").isEqualTo("1");
            assertThat(two.get("pid")).isEqualTo("1");
            assertThat(one.get("slot")).isNotEqualTo(two.get("slot"));

            List<Participant> participants = observer.participants();
            assertThat(participants).hasSize(3);
            List<Participant> others = participants.stream().filter(p -> !p.self()).toList();
            assertThat(others).extracting(Participant::pid).containsOnly(1L);
            assertThat(others).extracting(Participant::pidNamespace).doesNotHaveDuplicates()
                    .doesNotContain(
                            participants.stream().filter(Participant::self).findFirst().orElseThrow().pidNamespace());
        }
    }

    @Test
    void aKilledParticipantInAnotherPidNamespaceIsSeenDeadAndItsSlotIsReused() {
        Root.require();
        RegionOptions options = regions.options("pidns-kill").build();
        try (SharedRegion observer = SharedRegion.open(options);
                JvmProcess victim = probeInPidNamespace(options);
                JvmProcess survivor = probeInPidNamespace(options)) {
            Map<String, String> victimSlot = open(victim);
            open(survivor);
            assertThat(observer.participants()).hasSize(3);

            victim.kill();

            assertThat(observer.participants()).as("the kernel released the victim's slot lock")
                    .hasSize(2).extracting(Participant::slot)
                    .doesNotContain(Integer.parseInt(victimSlot.get("slot")));
            survivor.send("participants");
            assertThat(slotsIn(survivor.expect("PARTICIPANTS", TIMEOUT))).hasSize(2)
                    .doesNotContain(victimSlot.get("slot"));

            try (JvmProcess newcomer = probeInPidNamespace(options)) {
                Map<String, String> reused = open(newcomer);
                assertThat(reused.get("slot")).as("the dead participant's slot is the first free one")
                        .isEqualTo(victimSlot.get("slot"));
                assertThat(Long.parseLong(reused.get("generation")))
                        .isEqualTo(Long.parseLong(victimSlot.get("generation")) + 1);
            }
        }
    }

    @Test
    void deletingIsRefusedWhileAnotherProcessHasTheRegionOpenAndAllowedOnceItDied() {
        RegionOptions options = regions.options("delete-live").build();
        try (JvmProcess holder = probe(options)) {
            Map<String, String> opened = open(holder);
            assertThatThrownBy(() -> SharedRegion.delete(options)).isInstanceOf(RegionInUseException.class)
                    .hasMessageContaining("1 participant(s) still have it open")
                    .hasMessageContaining("slot " + opened.get("slot") + " (pid " + opened.get("pid"));
            holder.kill();
            assertThat(SharedRegion.delete(options)).isTrue();
        }
    }

    @Test
    void whenEverySlotIsHeldByALiveProcessAnotherIsRefused() {
        RegionOptions options = regions.options("full-slots").maxParticipants(1).build();
        try (JvmProcess holder = probe(options)) {
            open(holder);
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFullException.class)
                    .hasMessageContaining("All 1 participant slots of region '" + options.name() + "'")
                    .hasMessageContaining("larger maxParticipants");
            holder.kill();
            try (SharedRegion region = SharedRegion.open(options)) {
                assertThat(region.slot()).isZero();
            }
        }
    }

    @Test
    void aParticipantThatClosesLeavesTheListAtOnce() {
        RegionOptions options = regions.options("leave").build();
        try (SharedRegion observer = SharedRegion.open(options); JvmProcess leaver = probe(options)) {
            open(leaver);
            assertThat(observer.participants()).hasSize(2);
            leaver.send("close");
            leaver.expect("CLOSED", TIMEOUT);
            assertThat(observer.participants()).hasSize(1).allMatch(Participant::self);
        }
    }

    private static JvmProcess probe(RegionOptions options) {
        JvmProcess process = JvmProcess.start(List.of(), RegionProbe.class, args(options));
        process.expect("READY", TIMEOUT);
        return process;
    }

    private static JvmProcess probeInPidNamespace(RegionOptions options) {
        JvmProcess process = JvmProcess.startInPidNamespace(RegionProbe.class, args(options));
        process.expect("READY", TIMEOUT);
        return process;
    }

    private static String[] args(RegionOptions options) {
        return new String[] { options.directory().toString(), options.name(), String.valueOf(options.size()),
                String.valueOf(options.maxParticipants()) };
    }

    private static Map<String, String> open(JvmProcess process) {
        process.send("open");
        return Lines.fields(process.expect("OPENED", TIMEOUT));
    }

    private static List<String> slotsIn(String participantsLine) {
        String list = participantsLine.substring("PARTICIPANTS".length()).trim();
        return Arrays.stream(list.split(",")).map(entry -> entry.split(":")[0]).collect(Collectors.toList());
    }
}
