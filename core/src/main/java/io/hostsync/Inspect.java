package io.hostsync;

import io.hostsync.internal.os.Platform;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The region checker as a command: prints {@link SharedRegion#verify(Path)}'s report for each file
 * named. Run it on the host (or in a container that shares the region's directory):
 *
 * <pre>
 *   java -jar hostsync-core.jar inspect /dev/shm/hostsync-orders
 *   java -cp hostsync-core.jar:jnr-ffi.jar:... io.hostsync.Inspect /dev/shm/hostsync-orders
 * </pre>
 *
 * Without jnr-ffi on the class path (the first form) it uses the portable region layer, which
 * tells a live participant from a dead one just as well. Exit status: 0 if every region is sound,
 * 1 if a problem was found, 2 if a file could not be checked or the arguments are wrong.
 */
public final class Inspect {

    private Inspect() {
    }

    /**
     * Checks each region file named.
     *
     * @param args {@code [inspect] <region file>...}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Checks each region file named and prints the reports, for {@link #main} and for tests.
     *
     * @param args {@code [inspect] <region file>...}
     * @return the exit status
     */
    static int run(String[] args) {
        List<String> files = Arrays.asList(args);
        if (!files.isEmpty() && files.get(0).equals("inspect")) {
            files = files.subList(1, files.size());
        }
        if (files.isEmpty()) {
            System.err.println("Usage: java -jar hostsync-core.jar inspect <region file>... (for example"
                    + " /dev/shm/hostsync-orders)");
            return 2;
        }
        if (!jnrFfiPresent()) {
            System.setProperty(Platform.PORTABLE_PROPERTY, "true"); // before the region layer is chosen
        }
        int status = 0;
        for (String file : files) {
            try {
                RegionReport report = SharedRegion.verify(Path.of(file));
                System.out.print(report.format());
                status = Math.max(status, report.healthy() ? 0 : 1);
            } catch (HostsyncException | IllegalStateException e) {
                System.err.println(e.getMessage());
                status = 2;
            }
        }
        return status;
    }

    private static boolean jnrFfiPresent() {
        try {
            Class.forName("jnr.ffi.LibraryLoader", false, Inspect.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
