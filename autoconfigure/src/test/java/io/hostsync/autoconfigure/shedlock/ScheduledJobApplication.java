package io.hostsync.autoconfigure.shedlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedState;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * A Spring application with a {@code @Scheduled} job kept to one instance of the host by ShedLock
 * over the auto-configured {@link HostsyncLockProvider}, run in several JVMs by
 * {@link ScheduledJobAcrossJvmsTests}. The job fires on every even second in every JVM, with a
 * {@code lockAtLeastFor} of 1.5 s; each run records its start (epoch milliseconds) and its pid in
 * the shared map {@code runs}. When the shared counter {@code block-next} is 1, the next run sets
 * it to 0, writes its pid into {@code blocked}, and never ends, as a hung job would.
 *
 * <p>As a main class: arguments directory, region name; prints {@code READY}, then runs until its
 * standard input closes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
public class ScheduledJobApplication {

    /** The job's ShedLock name. */
    static final String JOB = "tick";

    @Bean
    TickJob tickJob(SharedState state) {
        return new TickJob(state);
    }

    static ConfigurableApplicationContext start(String directory, String region) {
        return new SpringApplicationBuilder(ScheduledJobApplication.class).web(WebApplicationType.NONE)
                .properties("hostsync.directory=" + directory, "hostsync.regions." + region + ".size=1MB",
                        "spring.main.banner-mode=off", "logging.level.root=warn")
                .run();
    }

    /**
     * Runs the application until its standard input closes.
     *
     * @param args directory, region name
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = start(args[0], args[1])) {
            System.out.println("READY pid=" + ProcessHandle.current().pid());
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (input.readLine() != null) {
                // runs until the test closes the input or kills the process
            }
        }
    }

    /** The shared records of the job's runs, as the test reads them too. */
    static SharedMap<String, String> runs(SharedState state) {
        return state.map("runs", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(256, 32));
    }

    /** The scheduled job. */
    public static class TickJob {

        private final SharedMap<String, String> runs;

        private final SharedCounter duplicates;

        private final SharedCounter blockNext;

        private final SharedCounter blocked;

        TickJob(SharedState state) {
            this.runs = runs(state);
            this.duplicates = state.counter("duplicates");
            this.blockNext = state.counter("block-next");
            this.blocked = state.counter("blocked");
        }

        /**
         * Records this tick's run, at most one per tick on the host; blocks when asked to.
         *
         * @throws InterruptedException when the application stops during a blocked run
         */
        @Scheduled(cron = "*/2 * * * * *")
        @SchedulerLock(name = JOB, lockAtLeastFor = "PT1.5S")
        public void tick() throws InterruptedException {
            String pid = Long.toString(ProcessHandle.current().pid());
            long start = System.currentTimeMillis();
            if (this.runs.putIfAbsent(Long.toString(start), pid) != null) {
                this.duplicates.incrementAndGet(); // two runs in the same millisecond
            }
            System.out.println("RAN start=" + start);
            if (this.blockNext.compareAndSet(1, 0)) {
                this.blocked.set(ProcessHandle.current().pid());
                System.out.println("BLOCKING");
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
