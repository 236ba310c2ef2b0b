package io.hostsync.autoconfigure.docs;

import java.time.LocalDate;

/**
 * Writes the report of a day, for {@link NightlyReport}.
 */
public interface ReportWriter {

    /**
     * Writes the report of a day.
     *
     * @param day the day
     */
    void write(LocalDate day);
}
