package io.hostsync.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The lock backend a hostsync benchmark runs on, a JMH parameter shared by every hostsync lock
 * benchmark ({@code -p backend=robust} to choose on the command line). Regions are opened with
 * it through {@link Regions#options(String, String)}.
 */
@State(Scope.Benchmark)
public class HostsyncBackend {

    /** {@code robust} (the default), {@code posix} or {@code file}. */
    @Param({ "robust", "posix", "file" })
    public String backend;
}
