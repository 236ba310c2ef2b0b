package io.hostsync.internal.os;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the system says about the region file. */
public final class FileStatus {
    /** The file type bits of a regular file in {@link #mode}. */
    public static final int REGULAR = 0100000;

    public final long size;
    /** The owner's uid, or -1 where the system has none. */
    public final int uid;
    public final int mode;
    public final Object key;

    FileStatus(long size, int uid, int mode, Object key) {
        this.size = size;
        this.uid = uid;
        this.mode = mode;
        this.key = key;
    }

    /** Whether the path still names the file we opened (it was not deleted or replaced). */
    public boolean isStill(Path file) {
        try {
            return key != null && key.equals(RegionDescriptor.identity(file)); // null identity: deleted
        } catch (IOException e) {
            throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
        }
    }

    public static boolean isMemoryBacked(Path directory) {
        try {
            return "tmpfs".equals(Files.getFileStore(directory).type());
        } catch (IOException e) {
            return false;
        }
    }

    public void checkOwnerAndMode(RegionOptions options, int self) {
        Path file = options.file();
        if ((mode & 0170000) != REGULAR) {
            throw new RegionAccessException("Region file " + file + " is not a regular file (mode 0"
                    + Integer.toOctalString(mode) + "): remove it, or choose another region name or directory.");
        }
        if (uid >= 0 && self >= 0 && uid != self && !options.allowForeignOwner()) {
            throw new RegionAccessException("Region file " + file + " is owned by uid " + uid + ", but this process runs"
                    + " as uid " + self + ". Another user's region could be used against this application: run as uid "
                    + uid + ", or allow foreign owners for region '" + options.name() + "' if the sharing is intended.");
        }
        int permissions = mode & 0777;
        if (uid >= 0 && (permissions & ~options.fileMode()) != 0 && !options.allowLooserPermissions()) {
            throw new RegionAccessException("Region file " + file + " has mode 0" + Integer.toOctalString(permissions)
                    + ", looser than the configured 0" + Integer.toOctalString(options.fileMode()) + ": other users could"
                    + " read or change it. Run 'chmod 0" + Integer.toOctalString(options.fileMode()) + " " + file
                    + "', configure file mode 0" + Integer.toOctalString(permissions) + ", or allow looser permissions"
                    + " for region '" + options.name() + "'.");
        }
    }
}
