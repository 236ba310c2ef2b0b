package io.hostsync.autoconfigure.docs;

import java.time.LocalDate;

import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled job of docs/annotations.md: runs once a day on one instance of the host, however
 * many run the schedule. Tested by {@link AnnotationExamplesTests}.
 */
// tag::nightly-report[]
@Component
public class NightlyReport {

    private final SharedCounter lastRunDay; // host-wide: the last day any instance wrote the report

    private final ReportWriter writer;

    public NightlyReport(SharedState state, ReportWriter writer) {
        this.lastRunDay = state.counter("nightly-report.last-run-day");
        this.writer = writer;
    }

    @Scheduled(cron = "0 0 2 * * *")
    @WriteGuarded(lock = "nightly-report", timeout = "0", onTimeout = OnTimeout.SKIP)
    public void run() { // one instance at a time; the others skip at once
        LocalDate today = LocalDate.now();
        if (this.lastRunDay.get() < today.toEpochDay()) {
            this.writer.write(today);
            this.lastRunDay.set(today.toEpochDay());
        }
    }
}
// end::nightly-report[]
