package io.hostsync.containers.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hostsync.Participant;
import io.hostsync.state.SharedCounter;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedValue;
import io.hostsync.autoconfigure.json.JsonCodecs;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints the container tests call, on loopback inside each container: who this process
 * is in the region, a guarded load on the record, a shared counter, a shared typed value, and
 * lock probes for the crash test.
 */
@RestController
@RequestMapping("/driver")
public class DriverController {

    /** Room for the JSON of a price table. */
    private static final int PRICES_CAPACITY = 16 * 1024;

    private final SharedRegion region;

    private final GuardedRecord record;

    private final LoadRunner load;

    private final LockProbe probe;

    private final SharedCounter hits;

    private final SharedValue<PriceTable> prices;

    /**
     * Creates the controller.
     *
     * @param region the application's region
     * @param record the guarded record
     * @param load the load runner
     * @param probe the lock probe
     * @param codecs JSON codecs with the application's mapper
     */
    public DriverController(SharedRegion region, GuardedRecord record, LoadRunner load, LockProbe probe,
            JsonCodecs codecs) {
        this.region = region;
        this.record = record;
        this.load = load;
        this.probe = probe;
        this.hits = region.state().counter("hits");
        this.prices = region.state().value("prices", codecs.of(PriceTable.class), PRICES_CAPACITY);
    }

    /**
     * Describes this process and the region's participants, as this process sees them.
     *
     * @return slot, generation, pid, host, whether this process created the region, and the participants
     */
    @GetMapping("/self")
    public Map<String, Object> self() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("region", this.region.name());
        self.put("file", this.region.file().toString());
        self.put("created", this.region.header().created().toString());
        self.put("createdByThisProcess", this.region.createdByThisProcess());
        self.put("slot", this.region.slot());
        self.put("generation", this.region.generation());
        self.put("pid", ProcessHandle.current().pid());
        List<Map<String, Object>> participants = new ArrayList<>();
        for (Participant participant : this.region.participants()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("slot", participant.slot());
            entry.put("generation", participant.generation());
            entry.put("pid", participant.pid());
            entry.put("host", participant.host());
            entry.put("pidNamespace", participant.pidNamespace());
            entry.put("self", participant.self());
            participants.add(entry);
        }
        self.put("participants", participants);
        return self;
    }

    /**
     * Starts a guarded load in the background.
     *
     * @param writes writes to make in all
     * @param writerThreads writer threads
     * @param readerThreads reader threads
     * @param parties containers that take part
     * @return the report, {@code running}
     */
    @PostMapping("/load")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public LoadRunner.LoadReport startLoad(@RequestParam long writes, @RequestParam int writerThreads,
            @RequestParam int readerThreads, @RequestParam int parties) {
        this.load.start(writes, writerThreads, readerThreads, parties);
        return this.load.report();
    }

    /**
     * Says how the load goes.
     *
     * @return the report
     */
    @GetMapping("/load")
    public LoadRunner.LoadReport load() {
        return this.load.report();
    }

    /**
     * Reads the record without the lock.
     *
     * @return its words and the shared count of writes
     */
    @GetMapping("/record")
    public Map<String, Object> record() {
        return Map.of("words", this.record.words(), "writes", this.record.writes());
    }

    /**
     * Adds to the shared counter from several threads at once.
     *
     * @param delta what each addition adds
     * @param times additions per thread
     * @param threads threads
     * @return the counter's value afterwards
     * @throws InterruptedException if interrupted
     */
    @PostMapping("/counter")
    public Map<String, Object> add(@RequestParam long delta, @RequestParam int times, @RequestParam int threads)
            throws InterruptedException {
        List<Thread> adders = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            Thread adder = new Thread(() -> {
                for (int i = 0; i < times; i++) {
                    this.hits.addAndGet(delta);
                }
            }, "adder-" + thread);
            adder.start();
            adders.add(adder);
        }
        for (Thread adder : adders) {
            adder.join();
        }
        return counter();
    }

    /**
     * Reads the shared counter.
     *
     * @return its value
     */
    @GetMapping("/counter")
    public Map<String, Object> counter() {
        return Map.of("value", this.hits.get());
    }

    /**
     * Replaces the shared price table.
     *
     * @param table the new table
     * @return the value's version afterwards
     */
    @PutMapping("/prices")
    public Map<String, Object> setPrices(@RequestBody PriceTable table) {
        this.prices.set(table);
        return Map.of("version", this.prices.version());
    }

    /**
     * Reads the shared price table.
     *
     * @return the table (absent if never set) and the value's version
     */
    @GetMapping("/prices")
    public Map<String, Object> prices() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("table", this.prices.get());
        answer.put("version", this.prices.version());
        return answer;
    }

    /**
     * Takes the write lock and stays half-way through a write of the record until released.
     *
     * @param timeoutSeconds how long to wait for the lock
     * @return whether the lock is held
     * @throws InterruptedException if interrupted
     */
    @PostMapping("/hold-write")
    public Map<String, Object> holdWrite(@RequestParam(defaultValue = "30") long timeoutSeconds)
            throws InterruptedException {
        return Map.of("held", this.probe.holdWrite(Duration.ofSeconds(timeoutSeconds)));
    }

    /**
     * Releases the write lock taken by {@code /hold-write}.
     *
     * @return {@code releasingAtNanos}: {@link System#nanoTime()} just before the release, or 0
     *     if the lock was not held
     * @throws InterruptedException if interrupted
     */
    @PostMapping("/release-write")
    public Map<String, Object> releaseWrite() throws InterruptedException {
        return Map.of("releasingAtNanos", this.probe.releaseWrite());
    }

    /**
     * Starts waiting for the lock in the background.
     *
     * @param mode {@code read} or {@code write}
     * @param timeoutSeconds how long to wait
     * @return the wait, {@code waiting}
     */
    @PostMapping("/await")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public LockProbe.Await startAwait(@RequestParam String mode,
            @RequestParam(defaultValue = "60") long timeoutSeconds) {
        this.probe.startAwait(mode, Duration.ofSeconds(timeoutSeconds));
        return this.probe.await(mode);
    }

    /**
     * Says how the last wait for the lock in a mode went.
     *
     * @param mode {@code read} or {@code write}
     * @return the wait
     */
    @GetMapping("/await")
    public LockProbe.Await await(@RequestParam String mode) {
        return this.probe.await(mode);
    }

    /**
     * Repairs the record if a writer died in it, and marks the lock consistent.
     *
     * @return whether the lock was possibly torn
     * @throws InterruptedException if interrupted
     */
    @PostMapping("/repair")
    public Map<String, Object> repair() throws InterruptedException {
        return Map.of("wasTorn", this.probe.repair(Duration.ofSeconds(30)));
    }
}
