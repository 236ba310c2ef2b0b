package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rule every name in hostsync follows: regions, locks and shared-state entries are named
 * with 1 to a limited number of the characters {@value #CHARACTERS}, so that a name is also a
 * safe file name and fits its record in the region.
 */
public final class Names {

    /** The characters a name may use, as a regular-expression character class. */
    public static final String CHARACTERS = "[A-Za-z0-9._-]";

    /** The name of the lock every region has from its creation. */
    public static final String DEFAULT_LOCK = RegionLayout.DEFAULT_LOCK_NAME;

    /** The longest lock name, in characters (its record's capacity). */
    public static final int MAX_LOCK_LENGTH = RegionLayout.LOCK_NAME_CAPACITY;

    /** The longest shared-state entry name, in characters (its directory entry's capacity). */
    public static final int MAX_ENTRY_LENGTH = RegionLayout.ENTRY_NAME_CAPACITY;

    /** The longest region name, in characters. */
    public static final int MAX_REGION_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile(CHARACTERS + "+");

    private Names() {
    }

    /**
     * Whether a name follows the rule.
     *
     * @param name the name, possibly {@code null}
     * @param maxLength the longest allowed
     * @return whether it has 1 to {@code maxLength} characters of {@value #CHARACTERS}
     */
    public static boolean isValid(@Nullable String name, int maxLength) {
        return name != null && !name.isEmpty() && name.length() <= maxLength && NAME.matcher(name).matches();
    }

    /**
     * Checks a lock name.
     *
     * @param name the name
     * @param region the region's name, for the message
     * @return the name
     * @throws IllegalArgumentException naming the name and the rule
     */
    public static String requireLockName(String name, String region) {
        if (!isValid(name, MAX_LOCK_LENGTH)) {
            throw new IllegalArgumentException("Lock name '" + name + "' in region '" + region + "' must be 1 to "
                    + MAX_LOCK_LENGTH + " characters from " + CHARACTERS + ", such as 'cache-rebuild'");
        }
        return name;
    }

    /**
     * Checks a shared-state entry name.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException naming the name and the rule
     */
    public static String requireEntryName(String name) {
        if (!isValid(name, MAX_ENTRY_LENGTH)) {
            throw new IllegalArgumentException("Entry name '" + name + "' must be 1 to " + MAX_ENTRY_LENGTH
                    + " characters from " + CHARACTERS + ", such as 'requests.total'");
        }
        return name;
    }
}
