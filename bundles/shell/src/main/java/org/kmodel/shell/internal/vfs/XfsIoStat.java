package org.kmodel.shell.internal.vfs;

import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.Vfs;

/**
 * xfs_io's {@code stat [-v]} (xfsprogs io/stat.c {@code stat_f}): the fd and stat(2) lines, then on xfs the
 * FS_IOC_FSGETXATTR and XFS_IOC_DIOINFO lines (other filesystems refuse XFS_IOC_DIOINFO, and xfs_io prints
 * nothing for them; tmpfs and ext4 print no fsxattr lines in xfs_io 6.1 either).
 */
final class XfsIoStat {
    /** The logical sector size of the model's block devices. */
    private static final int SECTOR = 512;

    private XfsIoStat() {}

    static String stat(Vfs vfs, String path, OpenFile file, boolean readOnly, boolean verbose) {
        String base = XfsIoFormat.stat(path, readOnly, file.fstat(), verbose);
        if (!onXfs(vfs, path)) {
            return base;
        }
        return base + XfsIoFormat.xfsStat(file.fiemap(0, Long.MAX_VALUE).size(), verbose, SECTOR);
    }

    private static boolean onXfs(Vfs vfs, String path) {
        try {
            return vfs.statfs(path).type() == XfsIoFormat.XFS_MAGIC;
        } catch (KernelException e) {
            return false;
        }
    }
}
