package io.hostsync.autoconfigure.shedlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCounter;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * Another process that uses {@link HostsyncLockProvider} on a region, for
 * {@link HostsyncLockProviderAcrossProcessesTests}. Arguments: directory, region name. Obeys lines
 * on standard input, answering each with one line:
 * <ul>
 *   <li>{@code lock NAME AT_MOST_MS AT_LEAST_MS}: {@code LOCKED NAME} or {@code SKIPPED NAME};</li>
 *   <li>{@code unlock NAME}: {@code UNLOCKED NAME};</li>
 *   <li>{@code race NAME RUNS}: takes the lock RUNS times, each time changing the shared counters
 *       {@code inside} and {@code total} without atomics, then {@code RACED overlaps=N};</li>
 *   <li>{@code foreign MAP KEY TEXT}: writes TEXT as UTF-8 under KEY in a map of that name, as a
 *       program that is not the provider would, then {@code WROTE};</li>
 * </ul>
 * A failure prints {@code FAILED <exception>}.
 */
public final class ShedLockProbe {

    private ShedLockProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args directory, region name
     * @throws Exception on failure to read standard input
     */
    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion
                .open(RegionOptions.builder(args[1]).directory(Path.of(args[0])).build())) {
            Map<String, SimpleLock> held = new HashMap<>();
            HostsyncLockProvider provider = null;
            System.out.println("READY slot=" + region.slot() + " pid=" + ProcessHandle.current().pid());
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = input.readLine()) != null && !line.equals("exit");) {
                String[] words = line.split(" ");
                try {
                    if (words[0].equals("foreign")) {
                        region.state()
                                .map(words[1], Codecs.utf8(), Codecs.utf8(), MapCapacity.of(
                                        HostsyncLockProvider.DEFAULT_MAX_JOBS,
                                        HostsyncLockProvider.AVERAGE_ENTRY_BYTES))
                                .put(words[2], words[3]);
                        System.out.println("WROTE");
                        continue;
                    }
                    if (provider == null) {
                        provider = new HostsyncLockProvider(region);
                    }
                    switch (words[0]) {
                        case "lock" -> {
                            Optional<SimpleLock> lock = provider
                                    .lock(new LockConfiguration(ClockProvider.now(), words[1],
                                            Duration.ofMillis(Long.parseLong(words[2])),
                                            Duration.ofMillis(Long.parseLong(words[3]))));
                            lock.ifPresent((taken) -> held.put(words[1], taken));
                            System.out.println((lock.isPresent() ? "LOCKED " : "SKIPPED ") + words[1]);
                        }
                        case "unlock" -> {
                            held.remove(words[1]).unlock();
                            System.out.println("UNLOCKED " + words[1]);
                        }
                        case "race" -> System.out.println("RACED overlaps=" + race(region, provider, words[1],
                                Integer.parseInt(words[2])));
                        default -> System.out.println("FAILED unknown command " + line);
                    }
                } catch (RuntimeException ex) {
                    System.out.println("FAILED " + ex.toString().replace('\n', ' '));
                }
            }
        }
    }

    /**
     * Runs a job RUNS times under the provider's lock: each run reads and writes the shared
     * counter {@code total} without atomics, so that two runs at once would lose an increment,
     * and counts the runs that found another one inside.
     */
    static long race(SharedRegion region, HostsyncLockProvider provider, String name, int runs) {
        SharedCounter inside = region.state().counter("inside");
        SharedCounter total = region.state().counter("total");
        long overlaps = 0;
        for (int done = 0; done < runs;) {
            Optional<SimpleLock> lock = provider
                    .lock(new LockConfiguration(ClockProvider.now(), name, Duration.ofMinutes(5), Duration.ZERO));
            if (lock.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            if (inside.incrementAndGet() != 1) {
                overlaps++;
            }
            long before = total.get();
            Thread.yield();
            total.set(before + 1);
            inside.decrementAndGet();
            lock.get().unlock();
            done++;
        }
        return overlaps;
    }
}
