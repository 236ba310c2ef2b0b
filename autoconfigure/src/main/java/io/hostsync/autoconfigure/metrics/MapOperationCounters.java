package io.hostsync.autoconfigure.metrics;

import java.util.List;
import java.util.function.BiConsumer;

import io.hostsync.state.MapOperation;
import io.hostsync.state.MapOperationRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Counts one shared map's operations in this process, in every registry the binder is bound to:
 * {@value HostsyncMeterNames#MAP_OPERATIONS} with a counter per operation and result, all
 * registered when the map's counters are made, so that a dashboard shows zeros. An operation
 * finds its counters by index: no lookup, no tags built, on the map's path.
 */
final class MapOperationCounters implements MapOperationRecorder {

    private static final MapOperation[] OPERATIONS = MapOperation.values();

    /** By {@code operation.ordinal() * 2 + (hit ? 1 : 0)}: the counters of each registry. */
    private final Counter[][] counters;

    private MapOperationCounters(Counter[][] counters) {
        this.counters = counters;
    }

    /**
     * Registers the counters of one map in each registry.
     *
     * @param registries the registries
     * @param region the region's name
     * @param map the map's name
     * @param registered told of every counter registered, and where, for removal
     * @return the map's recorder
     */
    static MapOperationCounters register(List<MeterRegistry> registries, String region, String map,
            BiConsumer<MeterRegistry, Meter> registered) {
        Counter[][] counters = new Counter[OPERATIONS.length * 2][registries.size()];
        for (MapOperation operation : OPERATIONS) {
            for (int hit = 0; hit < 2; hit++) {
                Tags tags = Tags.of(HostsyncMeterNames.TAG_REGION, region, HostsyncMeterNames.TAG_MAP, map,
                        HostsyncMeterNames.TAG_OPERATION, operation.tag(), HostsyncMeterNames.TAG_RESULT,
                        (hit == 1) ? HostsyncMeterNames.RESULT_HIT : HostsyncMeterNames.RESULT_MISS);
                for (int r = 0; r < registries.size(); r++) {
                    Counter counter = Counter.builder(HostsyncMeterNames.MAP_OPERATIONS)
                            .description(
                                    "Operations of this process on the shared map, by operation and whether the key"
                                            + " had a value")
                            .tags(tags)
                            .register(registries.get(r));
                    counters[operation.ordinal() * 2 + hit][r] = counter;
                    registered.accept(registries.get(r), counter);
                }
            }
        }
        return new MapOperationCounters(counters);
    }

    @Override
    public void record(MapOperation operation, boolean hit) {
        for (Counter counter : this.counters[operation.ordinal() * 2 + (hit ? 1 : 0)]) {
            counter.increment();
        }
    }
}
