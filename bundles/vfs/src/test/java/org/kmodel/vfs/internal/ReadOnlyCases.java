package org.kmodel.vfs.internal;

import java.util.List;
import org.kmodel.kernel.Errno;

/**
 * The write calls on a read-only mount and the errno each gives, as measured on the host (Linux 6.18, as root): the
 * tree {@link #TREE} describes was made on a tmpfs, on an ext4 image and on an xfs image, the mount made read-only
 * ({@code mount -o remount,ro}; {@code mount -o loop,ro}), and each call made on it from Python ({@code os.mkdir},
 * {@code os.open}, ..., {@code utimensat} and {@code ioctl(FS_IOC_SETFLAGS)} through ctypes). The three filesystems
 * gave the same errno for every case. {@code Issue11ReadOnlyMountTest} runs the cases on the model,
 * {@code Issue11ReadOnlyHostTest} again on the host's tmpfs when it can.
 *
 * <p>Paths are relative to the read-only mount's root; {@code @name} is in a writable directory on another mount;
 * {@code LONG} stands for a 256-byte name.
 */
final class ReadOnlyCases {
    private ReadOnlyCases() {}

    /**
     * The tree on the read-only mount: {@code f} (8192 bytes), {@code empty}, directories {@code d} and {@code e}
     * (with {@code e/child}), {@code lnk -> f}, {@code hard} (a second name of f), a FIFO {@code fifo}, a character
     * device {@code null} (1:3), an immutable file {@code immf} and an immutable directory {@code imm}; and
     * {@code @src}, a file on the other mount.
     */
    static final String TREE = "f empty d e e/child lnk hard fifo null immf imm @src";

    static final String LONG = "n".repeat(256);

    /** {@code op} with its arguments; {@code expected} null: the call succeeds. */
    record Case(String what, Errno expected, String op, List<String> args) {}

    private static Case c(String what, Errno expected, String op, String... args) {
        return new Case(what, expected, op, List.of(args));
    }

    static List<Case> all() {
        return List.of(
                c("mkdir missing/x", Errno.ENOENT, "mkdir", "missing/x"),
                c("mkdir f (exists)", Errno.EEXIST, "mkdir", "f"),
                c("mkdir d (exists)", Errno.EEXIST, "mkdir", "d"),
                c("mkdir d/.", Errno.EEXIST, "mkdir", "d/."),
                c("mkdir d/..", Errno.EEXIST, "mkdir", "d/.."),
                c("mkdir longname", Errno.ENAMETOOLONG, "mkdir", "LONG"),
                c("mkdir new", Errno.EROFS, "mkdir", "new"),
                c("mkdir f/x", Errno.ENOTDIR, "mkdir", "f/x"),
                c("mkdir imm/x (immutable dir)", Errno.EROFS, "mkdir", "imm/x"),
                c("open O_CREAT|O_RDONLY existing", null, "open", "f", "O_CREAT|O_RDONLY"),
                c("open O_CREAT|O_WRONLY existing", Errno.EROFS, "open", "f", "O_CREAT|O_WRONLY"),
                c("open O_WRONLY", Errno.EROFS, "open", "f", "O_WRONLY"),
                c("open O_RDWR", Errno.EROFS, "open", "f", "O_RDWR"),
                c("open O_RDONLY|O_TRUNC", Errno.EROFS, "open", "f", "O_RDONLY|O_TRUNC"),
                c("open O_RDONLY|O_TRUNC empty file", Errno.EROFS, "open", "empty", "O_RDONLY|O_TRUNC"),
                c("open O_CREAT new", Errno.EROFS, "open", "new", "O_CREAT|O_WRONLY"),
                c("open O_CREAT|O_RDONLY new", Errno.EROFS, "open", "new", "O_CREAT|O_RDONLY"),
                c("open O_CREAT missing/new", Errno.ENOENT, "open", "missing/new", "O_CREAT|O_WRONLY"),
                c("open O_CREAT|O_EXCL existing", Errno.EEXIST, "open", "f", "O_CREAT|O_EXCL|O_WRONLY"),
                c("open O_CREAT|O_EXCL longname", Errno.ENAMETOOLONG, "open", "LONG", "O_CREAT|O_EXCL|O_WRONLY"),
                c("open O_WRONLY dir", Errno.EISDIR, "open", "d", "O_WRONLY"),
                c("open O_CREAT|O_RDONLY dir", Errno.EISDIR, "open", "d", "O_CREAT|O_RDONLY"),
                c("open O_CREAT d/", Errno.EISDIR, "open", "d/", "O_CREAT|O_RDONLY"),
                c("open O_RDWR fifo", null, "open", "fifo", "O_RDWR"),
                c("open O_WRONLY chardev", null, "open", "null", "O_WRONLY"),
                c("open O_WRONLY|O_TRUNC chardev", null, "open", "null", "O_WRONLY|O_TRUNC"),
                c("open O_WRONLY immutable file", Errno.EROFS, "open", "immf", "O_WRONLY"),
                c("open O_WRONLY symlink->f", Errno.EROFS, "open", "lnk", "O_WRONLY"),
                c("open O_WRONLY|O_NOFOLLOW symlink", Errno.ELOOP, "open", "lnk", "O_WRONLY|O_NOFOLLOW"),
                c("unlink missing", Errno.EROFS, "unlink", "missing"),
                c("unlink d (dir)", Errno.EROFS, "unlink", "d"),
                c("unlink d/.", Errno.EISDIR, "unlink", "d/."),
                c("unlink f", Errno.EROFS, "unlink", "f"),
                c("unlink missing/x", Errno.ENOENT, "unlink", "missing/x"),
                c("unlink longname", Errno.EROFS, "unlink", "LONG"),
                c("rmdir missing", Errno.EROFS, "rmdir", "missing"),
                c("rmdir d/.", Errno.EINVAL, "rmdir", "d/."),
                c("rmdir d/..", Errno.ENOTEMPTY, "rmdir", "d/.."),
                c("rmdir f (not a dir)", Errno.EROFS, "rmdir", "f"),
                c("rmdir e (not empty)", Errno.EROFS, "rmdir", "e"),
                c("rmdir d", Errno.EROFS, "rmdir", "d"),
                c("rmdir missing/x", Errno.ENOENT, "rmdir", "missing/x"),
                c("rename missing -> x", Errno.EROFS, "rename", "missing", "x"),
                c("rename f -> g", Errno.EROFS, "rename", "f", "g"),
                c("rename f -> f", Errno.EROFS, "rename", "f", "f"),
                c("rename f -> hard (same inode)", Errno.EROFS, "rename", "f", "hard"),
                c("rename d/. -> x", Errno.EBUSY, "rename", "d/.", "x"),
                c("rename f -> other mount", Errno.EXDEV, "rename", "f", "@x"),
                c("rename missing -> other mount", Errno.EXDEV, "rename", "missing", "@x"),
                c("rename other -> ro", Errno.EXDEV, "rename", "@src", "x"),
                c("rename f -> d (file over dir)", Errno.EROFS, "rename", "f", "d"),
                c("rename missing/x -> y", Errno.ENOENT, "rename", "missing/x", "y"),
                c("link f -> f2", Errno.EROFS, "link", "f", "f2"),
                c("link f -> empty (exists)", Errno.EEXIST, "link", "f", "empty"),
                c("link missing -> f2", Errno.ENOENT, "link", "missing", "f2"),
                c("link d -> d2 (dir)", Errno.EROFS, "link", "d", "d2"),
                c("link f -> other mount", Errno.EXDEV, "link", "f", "@lnk"),
                c("link other -> ro", Errno.EROFS, "link", "@src", "x"),
                c("link immf -> x (immutable source)", Errno.EROFS, "link", "immf", "x"),
                c("symlink new", Errno.EROFS, "symlink", "f", "sl"),
                c("symlink existing", Errno.EEXIST, "symlink", "f", "f"),
                c("symlink empty target", Errno.ENOENT, "symlink", "", "sl"),
                c("symlink missing/x", Errno.ENOENT, "symlink", "f", "missing/x"),
                c("mknod fifo new", Errno.EROFS, "mknod", "fifo2", "fifo"),
                c("mknod fifo existing", Errno.EEXIST, "mknod", "f", "fifo"),
                c("mknod S_IFDIR new", Errno.EPERM, "mknod", "nd", "dir"),
                c("mknod S_IFLNK new", Errno.EINVAL, "mknod", "nd", "symlink"),
                c("mknod S_IFDIR existing", Errno.EPERM, "mknod", "f", "dir"),
                c("truncate f 0", Errno.EROFS, "truncate", "f", "0"),
                c("truncate d", Errno.EISDIR, "truncate", "d", "0"),
                c("truncate fifo", Errno.EINVAL, "truncate", "fifo", "0"),
                c("truncate f -1", Errno.EINVAL, "truncate", "f", "-1"),
                c("truncate missing -1", Errno.EINVAL, "truncate", "missing", "-1"),
                c("truncate missing 0", Errno.ENOENT, "truncate", "missing", "0"),
                c("truncate f 2^62 (EFBIG on rw)", Errno.EROFS, "truncate", "f", Long.toString(1L << 62)),
                c("truncate immf", Errno.EROFS, "truncate", "immf", "0"),
                c("chmod f", Errno.EROFS, "chmod", "f", "600"),
                c("chmod f same mode", Errno.EROFS, "chmod", "f", "644"),
                c("chmod missing", Errno.ENOENT, "chmod", "missing", "600"),
                c("chmod immf", Errno.EROFS, "chmod", "immf", "600"),
                c("chmod fifo", Errno.EROFS, "chmod", "fifo", "600"),
                c("utimens f", Errno.EROFS, "utimens", "f", "set"),
                c("utimens f both UTIME_OMIT", null, "utimens", "f", "omit"),
                c("utimens missing", Errno.ENOENT, "utimens", "missing", "set"),
                c("utimens immf", Errno.EROFS, "utimens", "immf", "set"),
                c("setflags f (same flags)", Errno.EROFS, "setflags", "f", "same"),
                c("setflags f +A", Errno.EROFS, "setflags", "f", "noatime"),
                c("setflags fifo", Errno.EROFS, "setflags", "fifo", "same"),
                c("setflags dir", Errno.EROFS, "setflags", "d", "same"),
                // with no writable description to be had, fd-based writes meet an O_RDONLY one: as on rw
                c("fallocate on an O_RDONLY fd", Errno.EBADF, "fallocate-rdonly", "f"),
                c("mmap MAP_SHARED PROT_WRITE of an O_RDONLY fd", Errno.EACCES, "mmap-shared-write-rdonly", "f"));
    }
}
