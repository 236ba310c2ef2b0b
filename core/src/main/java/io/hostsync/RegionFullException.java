package io.hostsync;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A region has no room for one more of something its creation fixed: every process slot is held
 * by a live process, every lock record or directory entry is in use, the heap has no room for
 * a new entry, or a shared map's segment has no room for one more. {@link #setting()} names the
 * region setting that fixed the room (none for a map, whose creator chose its capacity), and
 * {@link #capacity()} its value.
 */
public class RegionFullException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    private final @Nullable RegionSetting setting;

    private final long capacity;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     * @param regionName the region
     * @param file the region file
     * @param setting the setting that fixed the room: {@link RegionSetting#MAX_PARTICIPANTS},
     *     {@link RegionSetting#MAX_LOCKS}, {@link RegionSetting#MAX_ENTRIES} or
     *     {@link RegionSetting#SIZE} (the heap); {@code null} for a shared map's own capacity, which
     *     its creator chose ({@code io.hostsync.state.MapCapacity})
     * @param capacity the region's value of that setting, or the map's capacity in entries
     */
    public RegionFullException(String message, @Nullable String regionName, @Nullable Path file,
            @Nullable RegionSetting setting, long capacity) {
        super(message, regionName, file, null);
        this.setting = setting;
        this.capacity = capacity;
    }

    /**
     * Returns the setting that fixed the room that ran out; a region gets more room only by being
     * created again with a larger value.
     *
     * @return the setting, or {@code null} when a shared map ran out of its own capacity
     */
    public @Nullable RegionSetting setting() {
        return setting;
    }

    /**
     * Returns the region's value of {@link #setting()}: the number of slots, lock records or
     * entries, or the region size in bytes.
     *
     * @return the capacity
     */
    public long capacity() {
        return capacity;
    }
}
