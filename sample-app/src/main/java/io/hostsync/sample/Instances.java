package io.hostsync.sample;

import java.util.ArrayList;
import java.util.List;

import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.Participant;
import io.hostsync.state.SharedMap;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.json.JsonCodecs;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which HTTP port each instance on the host serves, so that the status page can link them all.
 *
 * <p>The region knows its participants (slot, generation, pid) but not their ports, so each
 * instance records its own in a shared map, keyed by its slot. A slot is reused after its process
 * dies, hence the generation: an entry left by a dead process is never shown against its
 * successor.
 */
@Component
public class Instances {

    private final SharedRegion region;

    private final SharedMap<String, Instance> ports;

    private volatile int port = -1;

    /**
     * Creates the directory.
     *
     * @param region the sample's region
     * @param codecs JSON through the application's Jackson mapper
     */
    public Instances(SharedRegion region, JsonCodecs codecs) {
        this.region = region;
        this.ports = region.state().map("instances", Codecs.utf8(), codecs.of(Instance.class),
                MapCapacity.of(64, 128));
    }

    /**
     * Records this instance's port once its web server listens.
     *
     * @param event the web server's start
     */
    @EventListener
    public void onWebServerInitialized(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) { // not a separate management port
            this.port = event.getWebServer().getPort();
            Instance self = self();
            this.ports.put(String.valueOf(self.slot()), self);
        }
    }

    /**
     * Describes this instance.
     *
     * @return its slot, generation, pid and port (-1 until the web server listens)
     */
    public Instance self() {
        return new Instance(this.region.slot(), this.region.generation(), ProcessHandle.current().pid(), this.port);
    }

    /**
     * Names this instance for people, as in {@code :8081 (pid 4242)}.
     *
     * @return the description; just the pid until the web server listens
     */
    public String describeSelf() {
        Instance self = self();
        return (self.port() < 0) ? "pid " + self.pid() : ":" + self.port() + " (pid " + self.pid() + ")";
    }

    /**
     * Lists the instances alive now: the region's participants that recorded a port.
     *
     * @return the live instances, by slot
     */
    public List<Instance> live() {
        List<Instance> live = new ArrayList<>();
        for (Participant participant : this.region.participants()) {
            Instance recorded = this.ports.get(String.valueOf(participant.slot()));
            if (recorded != null && recorded.generation() == participant.generation()) {
                live.add(recorded);
            }
        }
        return live;
    }

    /**
     * One instance of the sample.
     *
     * @param slot its process slot in the region
     * @param generation the generation of its slot, which tells it from earlier holders of the slot
     * @param pid its process id, as it sees itself
     * @param port its HTTP port
     */
    public record Instance(int slot, long generation, long pid, int port) {
    }
}
