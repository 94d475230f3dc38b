package org.kmodel.fs.tmpfs.internal;

/** A tmpfs symlink or device/FIFO/socket node ({@code shmem_symlink}, {@code shmem_mknod}): no data pages. */
final class ShmemSpecial extends ShmemInode {
    private final String target;

    ShmemSpecial(ShmemSuperBlock sb, long ino, int mode, long rdev, String target) {
        super(sb, ino, mode);
        this.rdev = rdev;
        this.target = target;
    }

    @Override
    public String readlink() {
        if (target == null) {
            return super.readlink();
        }
        return target;
    }

    @Override
    long size() {
        return target == null ? 0 : target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
