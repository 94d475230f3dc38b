package org.kmodel.itests;

import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.SuperBlock;

/** The super block of {@link PatchedTmpfs}: the original's, with ",patched" in /proc/mounts. */
public class PatchedSuperBlock implements SuperBlock {
    private final SuperBlock sb;

    public PatchedSuperBlock(SuperBlock sb) {
        this.sb = sb;
    }

    @Override
    public Inode root() {
        return sb.root();
    }

    @Override
    public FsCapabilities capabilities() {
        return sb.capabilities();
    }

    @Override
    public StatFs statfs() {
        return sb.statfs();
    }

    @Override
    public String mountOptions() {
        return sb.mountOptions() + ",patched";
    }

    @Override
    public void sync() {
        sb.sync();
    }

    @Override
    public void kill() {
        sb.kill();
    }
}
