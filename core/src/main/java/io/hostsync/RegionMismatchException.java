package io.hostsync;

import java.io.Serializable;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An existing region was created with a setting (such as its size) that differs from the one
 * this process asked for. {@link #setting()} names the setting, {@link #existingValue()} is the
 * value the region was created with (the one every process must use) and {@link #requestedValue()}
 * the one this process asked for.
 */
public class RegionMismatchException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    private final RegionSetting setting;

    private final Serializable existingValue;

    private final Serializable requestedValue;

    /**
     * Creates the exception.
     *
     * @param message what happened, to which file, and what to do
     * @param regionName the region
     * @param file the region file
     * @param setting the setting that differs
     * @param existingValue the value the region was created with: a {@link Backend} for
     *     {@link RegionSetting#BACKEND}, a {@link Long} (bytes) for {@link RegionSetting#SIZE}, an
     *     {@link Integer} for the others
     * @param requestedValue the value this process asked for, of the same type
     */
    public RegionMismatchException(String message, @Nullable String regionName, @Nullable Path file,
            RegionSetting setting, Serializable existingValue, Serializable requestedValue) {
        super(message, regionName, file, null);
        this.setting = setting;
        this.existingValue = existingValue;
        this.requestedValue = requestedValue;
    }

    /**
     * Returns the setting that differs.
     *
     * @return the setting
     */
    public RegionSetting setting() {
        return setting;
    }

    /**
     * Returns the value the existing region was created with, which every process that opens it
     * must use.
     *
     * @return a {@link Backend}, a {@link Long} (bytes) or an {@link Integer}, as {@link #setting()} says
     */
    public Object existingValue() {
        return existingValue;
    }

    /**
     * Returns the value this process asked for.
     *
     * @return a value of the same type as {@link #existingValue()}
     */
    public Object requestedValue() {
        return requestedValue;
    }
}
