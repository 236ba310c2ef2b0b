package io.hostsync.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the {@code key=value} lines that probe processes print. */
public final class Lines {

    private Lines() {
    }

    /**
     * Parses the space-separated {@code key=value} fields of a line; the first word is skipped.
     *
     * @param line for example {@code OPENED slot=0 created=true}
     * @return the fields in order
     */
    public static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] words = line.split(" ");
        for (int i = 1; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals > 0) {
                fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
        }
        return fields;
    }
}
