package io.hostsync.internal.region;

import io.hostsync.RegionLostException;
import io.hostsync.internal.os.FileStatus;
import io.hostsync.internal.os.RegionDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Watches every region file open in this JVM, from one daemon thread: every
 * {@value #INTERVAL_MILLIS} ms it compares what the region's path names now ({@code stat(path)})
 * with the file this process has open and mapped ({@code fstat(fd)}), and
 * {@linkplain RegionFile#lose loses} the region when its path no longer names that file (removed,
 * renamed over, restored from a copy) or the file is shorter than the mapping (truncated).
 *
 * <p>Why: a process that opens the path after a removal or replacement gets another file, and
 * would take locks beside the processes still using the old one (a silent split-brain); a
 * truncated file makes every access past its end fault (SIGBUS), which HotSpot turns into a
 * livelock, an asynchronous {@link InternalError} or a crash. Detection and a loud failure are the
 * contract; the region is not repaired. A check costs two {@code stat} calls, a few microseconds.
 */
final class RegionWatchdog {

    /** How often each region is checked: a loss is seen well within a second. */
    static final long INTERVAL_MILLIS = 200;

    /** The advice every loss message ends with. */
    static final String WHAT_TO_DO = "This process no longer shares the region with the others, so its locks and"
            + " state refuse every operation. Restart the processes that had it open (closing every handle of the"
            + " region in a process and opening it again also works); never remove, replace or truncate the file of a region in use: stop its processes"
            + " first, or use SharedRegion.delete, which refuses while any process has it open.";

    /** The regions watched; guarded by itself. */
    private static final Set<RegionFile> WATCHED = new LinkedHashSet<>();
    /** Whether the thread runs; guarded by {@link #WATCHED}. */
    private static boolean running;

    private RegionWatchdog() {
    }

    /** Starts watching a region just opened (and the thread, if it is the first). */
    static void watch(RegionFile region) {
        synchronized (WATCHED) {
            WATCHED.add(region);
            if (!running) {
                running = true;
                Thread thread = new Thread(RegionWatchdog::run, "hostsync-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** Stops watching a region being closed; the thread ends with the last one. */
    static void unwatch(RegionFile region) {
        synchronized (WATCHED) {
            WATCHED.remove(region);
        }
    }

    private static void run() {
        while (true) {
            List<RegionFile> regions;
            synchronized (WATCHED) {
                if (WATCHED.isEmpty()) {
                    running = false;
                    return;
                }
                regions = new ArrayList<>(WATCHED);
            }
            for (RegionFile region : regions) {
                check(region);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                // a daemon thread nobody interrupts on purpose: keep watching
            }
        }
    }

    /**
     * Checks one region now, and loses it if its file was removed, replaced or truncated.
     *
     * @param region the region
     */
    static void check(RegionFile region) {
        if (region.failure().isPresent() || region.isClosed()) {
            return;
        }
        String name = region.options.name();
        FileStatus status;
        Object identity;
        try {
            status = region.descriptor.status();
            identity = RegionDescriptor.identity(region.file);
        } catch (IOException | RuntimeException e) {
            return; // closed meanwhile, or the directory unreadable for a moment: the next round tells
        }
        long mapped = region.header.size();
        if (status.size >= 0 && status.size < mapped) {
            region.lose(new RegionLostException("Region '" + name + "' (" + region.file
                    + ") was truncated while in use:"
                    + " the file has " + status.size + " bytes, and this process maps " + mapped + ". Touching its"
                    + " memory past the end would fault (SIGBUS), so this process has stopped using it; whatever the"
                    + " region held past the new end is gone. " + WHAT_TO_DO, name, region.file, null), true);
        } else if (identity == null) {
            region.lose(new RegionLostException("Region '" + name + "' (" + region.file + ") was removed while in use:"
                    + " this process still maps the deleted file, and a process that opens the path now creates a new"
                    + " region beside it, whose locks do not exclude this process's. " + WHAT_TO_DO, name, region.file,
                    null), false);
        } else if (!identity.equals(status.key)) {
            region.lose(new RegionLostException("Region '" + name + "' (" + region.file + ") was replaced while in use"
                    + " (renamed over, or restored from a copy): the path now names another file than the one this"
                    + " process maps, and processes that open the path now share that one, whose locks do not exclude"
                    + " this process's. " + WHAT_TO_DO, name, region.file, null), false);
        }
    }
}
