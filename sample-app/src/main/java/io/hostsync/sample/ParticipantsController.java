package io.hostsync.sample;

import io.hostsync.SharedRegion;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the default region and the processes that have it open.
 */
@RestController
public class ParticipantsController {

    private final SharedRegion region;

    /**
     * Creates the controller for the default region.
     *
     * @param region the default region, opened by the hostsync starter
     */
    public ParticipantsController(SharedRegion region) {
        this.region = region;
    }

    /**
     * Returns the region and its live participants, this process included.
     *
     * @return the region as JSON
     */
    @GetMapping("/participants")
    public RegionParticipants participants() {
        return RegionParticipants.of(this.region);
    }
}
