package io.hostsync.internal.os;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the system says about the region file. */
public final class FileStatus {
    /** The file type bits of a regular file in {@link #mode}. */
    public static final int REGULAR = 0100000;
    /** The file type bits of a directory in {@link #mode}. */
    public static final int DIRECTORY = 0040000;
    private static final int SYMBOLIC_LINK = 0120000;
    private static final int TYPE_MASK = 0170000;
    private static final int STICKY = 01000;

    public final long size;
    /** The owner's uid, or -1 where the system has none. */
    public final int uid;
    public final int mode;
    /** The file's identity, as {@link RegionDescriptor#identity(Path)} gives it; null if unknown (or deleted). */
    public final @Nullable Object key;

    FileStatus(long size, int uid, int mode, @Nullable Object key) {
        this.size = size;
        this.uid = uid;
        this.mode = mode;
        this.key = key;
    }

    /**
     * One attribute of a {@code Files.readAttributes(path, "unix:...")} map: the view returns every
     * attribute it was asked for, so a missing one is a broken file system provider, not a null.
     */
    static <T> T attribute(Map<String, Object> attributes, String name, Class<T> type) {
        return type.cast(Objects.requireNonNull(attributes.get(name), () -> "no '" + name + "' attribute"));
    }

    /** Whether the path still names the file we opened (it was not deleted or replaced). */
    public boolean isStill(Path file) {
        try {
            return key != null && key.equals(RegionDescriptor.identity(file)); // null identity: deleted
        } catch (IOException e) {
            throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
        }
    }

    /**
     * What the system says about a path itself, without following a symbolic link at it: the
     * size, owner and mode (with the file type bits) of a region directory or of whatever stands
     * at a region's path.
     *
     * @param path the path
     * @return its status (uid -1 and only the type bits where the system has no owners), or null if nothing is there
     */
    public static @Nullable FileStatus ofPath(Path path) {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                Map<String, Object> attributes = Files.readAttributes(path, "unix:size,uid,mode,fileKey",
                        LinkOption.NOFOLLOW_LINKS);
                return new FileStatus(attribute(attributes, "size", Long.class),
                        attribute(attributes, "uid", Integer.class),
                        attribute(attributes, "mode", Integer.class), attributes.get("fileKey"));
            }
            BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            int type = basic.isRegularFile() ? REGULAR
                    : basic.isDirectory() ? DIRECTORY
                            : basic.isSymbolicLink() ? SYMBOLIC_LINK : 0;
            return new FileStatus(basic.size(), -1, type, basic.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            throw new HostsyncException("Cannot read the status of " + path + ": " + e, e);
        }
    }

    /** Whether this is a directory (not a link to one). */
    public boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    /** Whether this is a symbolic link. */
    public boolean isSymbolicLink() {
        return (mode & TYPE_MASK) == SYMBOLIC_LINK;
    }

    /**
     * Refuses a region directory whose other users could remove, rename over or replace the
     * region file while it is in use (a silent split-brain): a directory of another user
     * (root excepted), or one that others than its owner may write without the sticky bit,
     * which /dev/shm (mode 1777) has and which lets only a file's owner remove it.
     *
     * @param options the region's options; {@code allowForeignOwner} and {@code allowLooserPermissions} waive the checks
     * @param self this process's effective uid, or -1 where the system has none
     */
    public void checkDirectory(RegionOptions options, int self) {
        Path directory = options.directory();
        if (uid < 0 || self < 0) {
            return; // no owners here (Windows): the directory's ACLs decide
        }
        if (uid != self && uid != 0 && !options.allowForeignOwner()) {
            throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                    + "' is owned by uid " + uid + ", but this process runs as uid " + self
                    + ". Its owner could remove or"
                    + " replace the region file while it is in use: use a directory of this user or of root, or allow"
                    + " foreign owners for region '" + options.name() + "' if the sharing is intended.", options.name(),
                    directory, RegionAccessException.Refused.DIRECTORY, null);
        }
        if ((mode & 0022) != 0 && (mode & STICKY) == 0 && !options.allowLooserPermissions()) {
            throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                    + "' has mode 0" + Integer.toOctalString(mode & 07777)
                    + ": users other than its owner may write it,"
                    + " and without the sticky bit (which /dev/shm has, mode 1777) they could remove or replace the"
                    + " region file while it is in use. Run 'chmod +t " + directory + "' or 'chmod go-w " + directory
                    + "', configure another directory, or allow looser permissions for region '" + options.name()
                    + "' if every user who may write the directory is trusted.", options.name(), directory,
                    RegionAccessException.Refused.DIRECTORY, null);
        }
    }

    /**
     * The refusal of something at a region's path that is not a regular file: a directory, a
     * socket, a pipe, a device.
     *
     * @param file the region's path
     * @param mode its mode, with the file type bits
     * @return the exception, to be thrown by the caller
     */
    public static RegionAccessException notRegularFile(Path file, int mode) {
        return new RegionAccessException(
                "Region file " + file + " is not a regular file (" + typeName(mode) + ", mode 0"
                        + Integer.toOctalString(mode) + "): remove it, or choose another region name or directory.",
                null, file,
                RegionAccessException.Refused.FILE, null);
    }

    private static String typeName(int mode) {
        switch (mode & TYPE_MASK) {
            case DIRECTORY :
                return "a directory";
            case 0140000 :
                return "a socket";
            case 0010000 :
                return "a named pipe";
            case 0020000 :
                return "a character device";
            case 0060000 :
                return "a block device";
            case SYMBOLIC_LINK :
                return "a symbolic link";
            default :
                return "of unknown type";
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
        if ((mode & TYPE_MASK) != REGULAR) {
            throw notRegularFile(file, mode);
        }
        if (uid >= 0 && self >= 0 && uid != self && !options.allowForeignOwner()) {
            throw new RegionAccessException("Region file " + file + " is owned by uid " + uid
                    + ", but this process runs"
                    + " as uid " + self + ". Another user's region could be used against this application: run as uid "
                    + uid + ", or allow foreign owners for region '" + options.name() + "' if the sharing is intended.",
                    options.name(), file, RegionAccessException.Refused.FILE, null);
        }
        int permissions = mode & 0777;
        if (uid >= 0 && (permissions & ~options.fileMode()) != 0 && !options.allowLooserPermissions()) {
            throw new RegionAccessException("Region file " + file + " has mode 0" + Integer.toOctalString(permissions)
                    + ", looser than the configured 0" + Integer.toOctalString(options.fileMode())
                    + ": other users could"
                    + " read or change it. Run 'chmod 0" + Integer.toOctalString(options.fileMode()) + " " + file
                    + "', configure file mode 0" + Integer.toOctalString(permissions) + ", or allow looser permissions"
                    + " for region '" + options.name() + "'.", options.name(), file,
                    RegionAccessException.Refused.FILE, null);
        }
    }
}
