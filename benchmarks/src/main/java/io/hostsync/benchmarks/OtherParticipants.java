package io.hostsync.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The participants of a benchmark besides the measured thread, all running one {@link Workload}
 * on the same lock for the whole trial: {@link Partner} processes for a lock shared between
 * processes, threads of this JVM for a JVM-local lock. Each reports its own rate when stopped
 * ({@code participant 2 (process): 41.7 ns per operation}, in the JMH log), so that a reader can
 * check that the measured thread's figure is representative.
 */
final class OtherParticipants implements AutoCloseable {

    private final List<PartnerProcess> processes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<long[]> threadCounts = new ArrayList<>();
    private int threadsPerProcess = 1;
    private volatile boolean stopped;
    private long startNanos;

    private OtherParticipants() {
    }

    /**
     * Starts the others and returns once each is running the workload.
     *
     * @param lock the lock under test
     * @param count how many participants besides the measured thread; 0 for none
     * @param workload what they do
     * @return the running participants
     */
    static OtherParticipants start(LockUnderTest lock, int count, Workload workload) {
        return start(lock, count, 1, workload);
    }

    /**
     * Starts the others and returns once each is running the workload.
     *
     * @param lock the lock under test
     * @param count how many participating threads besides the measured ones; 0 for none
     * @param threadsPerProcess for a lock shared between processes, how many of them each partner
     *     process runs ({@code count} must be a multiple of it); a JVM-local lock's are all threads here
     * @param workload what they do
     * @return the running participants
     */
    static OtherParticipants start(LockUnderTest lock, int count, int threadsPerProcess, Workload workload) {
        if (threadsPerProcess < 1 || count % threadsPerProcess != 0) {
            throw new IllegalArgumentException(
                    count + " other participants cannot be split into processes of " + threadsPerProcess
                            + " threads");
        }
        OtherParticipants others = new OtherParticipants();
        others.threadsPerProcess = threadsPerProcess;
        try {
            List<String> join = lock.joinArguments();
            for (int i = 0; i < count; i++) {
                if (join != null) {
                    if (i % threadsPerProcess != 0) {
                        continue; // started with the process of this group's first thread
                    }
                    List<String> arguments = new ArrayList<>(
                            List.of("workload", workload.id(), Integer.toString(threadsPerProcess)));
                    arguments.addAll(join);
                    others.processes.add(PartnerProcess.start(arguments));
                } else {
                    long[] operations = new long[1];
                    Thread thread = new Thread(
                            () -> operations[0] = workload.runUntil(lock.readWriteLock(), () -> others.stopped),
                            "participant-" + (i + 2));
                    thread.setDaemon(true);
                    others.threads.add(thread);
                    others.threadCounts.add(operations);
                }
            }
            others.startNanos = System.nanoTime();
            others.threads.forEach(Thread::start);
            return others;
        } catch (RuntimeException e) {
            others.close();
            throw e;
        }
    }

    /** Stops every participant and prints each one's rate. */
    @Override
    public void close() {
        stopped = true;
        int number = 2;
        for (PartnerProcess process : processes) {
            String done = process.stop();
            String kind = threadsPerProcess == 1 ? "process"
                    : "process of " + threadsPerProcess + " threads, all together";
            report(number++, kind, done == null ? -1 : field(done, "operations="),
                    done == null ? -1 : field(done, "nanos="));
        }
        long nanos = System.nanoTime() - startNanos;
        for (int i = 0; i < threads.size(); i++) {
            Thread thread = threads.get(i);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                System.err.println("Participant thread " + thread.getName() + " did not stop within 30 s");
            }
            report(number++, "thread", threadCounts.get(i)[0], nanos);
        }
    }

    private static void report(int number, String kind, long operations, long nanos) {
        String rate = operations <= 0 ? "no rate reported (its error output is above)"
                : String.format(Locale.ROOT, "%.2f ns per operation", (double) nanos / operations);
        System.out.println();
        System.out.println("participant " + number + " (" + kind + "): " + rate);
    }

    private static long field(String line, String name) {
        for (String field : line.split(" ")) {
            if (field.startsWith(name)) {
                return Long.parseLong(field.substring(name.length()));
            }
        }
        return -1;
    }
}
