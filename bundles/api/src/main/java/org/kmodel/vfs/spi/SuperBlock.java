package org.kmodel.vfs.spi;

import org.kmodel.vfs.StatFs;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A mounted filesystem instance ({@code struct super_block} with its {@code super_operations}).
 * Created by {@link FileSystemType#mount}; lives until the VFS calls {@link #kill()} at umount.
 */
@ConsumerType
public interface SuperBlock {
    /** The root directory ({@code sb->s_root}); always the same inode. */
    Inode root();

    /** The capabilities of this instance: modes, s_blocksize, s_maxbytes (may differ per mount, e.g. ext4 1k). */
    FsCapabilities capabilities();

    /** {@code ->statfs}: sizes and free space for df(1). */
    StatFs statfs();

    /**
     * The options /proc/mounts shows after the fs type ({@code ->show_options} plus the generic ones),
     * e.g. {@code "rw,relatime,size=65536k"}. The VFS replaces the {@code rw} or {@code ro} in it with the mount's
     * current flag ({@code show_vfsmnt}).
     */
    String mountOptions();

    /** {@code ->sync_fs}: make metadata durable. The VFS has written back all dirty pages before. */
    default void sync() {}

    /**
     * The periodic writeback thread ({@code wb_workfn}, every {@code vm.dirty_writeback_centisecs}) calls this
     * under the VFS lock after writing back the pages that expired: a journaling filesystem commits here when its
     * commit interval passed since its last commit, also when nothing else calls into it (the jbd2 commit timer,
     * {@code j_commit_interval} from {@code commit=}; xfs's log worker). {@code nowNanos} is
     * {@link System#nanoTime()}. Filesystems without a journal ignore it.
     */
    default void periodicCommit(long nowNanos) {}

    /**
     * {@code ->kill_sb} at umount, after the VFS wrote back every dirty page and called {@link #sync()}.
     * The instance is not used afterwards.
     */
    default void kill() {}
}
