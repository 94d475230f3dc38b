package org.kmodel.vfs;

/**
 * Inode attribute flags as chattr(1)/lsattr(1) see them through FS_IOC_GETFLAGS/SETFLAGS
 * (include/uapi/linux/fs.h). The VFS enforces {@link #IMMUTABLE} and {@link #APPEND}; the others are
 * stored and shown. Changing IMMUTABLE or APPEND needs CAP_LINUX_IMMUTABLE, which the model's single
 * user has.
 */
public final class InodeFlags {
    public static final int SECRM = 0x00000001;
    public static final int UNRM = 0x00000002;
    public static final int COMPR = 0x00000004;
    public static final int SYNC = 0x00000008;
    /** 'i': no change to data or metadata, no link, unlink or rename; fallocate gives EPERM. */
    public static final int IMMUTABLE = 0x00000010;
    /** 'a': writes only at EOF; fallocate other than mode 0/KEEP_SIZE, truncate, unlink give EPERM. */
    public static final int APPEND = 0x00000020;

    public static final int NODUMP = 0x00000040;
    public static final int NOATIME = 0x00000080;
    /** 'e': the inode maps its blocks with extents (ext4); set by the filesystem, not by chattr. */
    public static final int EXTENTS = 0x00080000;

    /** Flags a user may change with chattr; the rest belong to the filesystem. */
    public static final int USER_MODIFIABLE = SECRM | UNRM | COMPR | SYNC | IMMUTABLE | APPEND | NODUMP | NOATIME;

    /** lsattr's letter order (e2fsprogs 1.47 lib/e2p/pf.c): flag bits and their letters, 22 columns. */
    private static final int[] BITS = {
        SECRM,
        UNRM,
        SYNC,
        0x10000 /* DIRSYNC */,
        IMMUTABLE,
        APPEND,
        NODUMP,
        NOATIME,
        COMPR,
        0x800 /* ENCRYPT */,
        0x00004000 /* JOURNAL_DATA */,
        0x1000 /* INDEX */,
        0x00008000 /* NOTAIL */,
        0x00020000 /* TOPDIR */,
        EXTENTS,
        0x00800000 /* NOCOW */,
        0x02000000 /* DAX */,
        0x40000000 /* CASEFOLD */,
        0x10000000 /* INLINE_DATA */,
        0x20000000 /* PROJINHERIT */,
        0x00100000 /* VERITY */,
        0x00000400 /* NOCOMP */
    };

    private static final char[] LETTERS = {
        's', 'u', 'S', 'D', 'i', 'a', 'd', 'A', 'c', 'E', 'j', 'I', 't', 'T', 'e', 'C', 'x', 'F', 'N', 'P', 'V', 'm'
    };

    private InodeFlags() {}

    /** lsattr's short form, e.g. {@code "----ia--------e-------"}. */
    public static String lsattr(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BITS.length; i++) {
            sb.append((flags & BITS[i]) != 0 ? LETTERS[i] : '-');
        }
        return sb.toString();
    }

    /** The flag bit of a chattr letter, or 0 for an unknown letter. */
    public static int ofLetter(char letter) {
        for (int i = 0; i < LETTERS.length; i++) {
            if (LETTERS[i] == letter) {
                return BITS[i];
            }
        }
        return 0;
    }
}
