package io.hostsync.sample;

import java.time.Instant;
import java.util.List;

import io.hostsync.Participant;
import io.hostsync.SharedRegion;

/**
 * The JSON body of {@code GET /participants}.
 *
 * @param region the region name
 * @param file the region file
 * @param size the region size in bytes
 * @param slot the process slot of this process
 * @param participants the live participants, this process included
 */
public record RegionParticipants(String region, String file, long size, int slot,
        List<ParticipantView> participants) {

    /**
     * Describes a region as it is now.
     *
     * @param region an open region
     * @return its description
     */
    public static RegionParticipants of(SharedRegion region) {
        List<ParticipantView> participants = region.participants().stream().map(ParticipantView::of).toList();
        return new RegionParticipants(region.name(), region.file().toString(), region.size(), region.slot(),
                participants);
    }

    /**
     * One live participant of the region.
     *
     * @param slot its process slot
     * @param pid its process id, as it sees itself (often 1 in a container)
     * @param host its host name
     * @param since when it joined the region
     * @param self whether it is the process that answered the request
     */
    public record ParticipantView(int slot, long pid, String host, Instant since, boolean self) {

        static ParticipantView of(Participant participant) {
            return new ParticipantView(participant.slot(), participant.pid(), participant.host(), participant.since(),
                    participant.self());
        }
    }
}
