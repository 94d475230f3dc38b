package org.kmodel.shell.internal.vfs;

import java.util.List;
import org.kmodel.shell.internal.ShellConverter;
import org.kmodel.vfs.MountInfo;

/** What mount(8) without operands returns: the VFS's mount records ({@code json}: {@code --json}). */
public record MountList(List<MountInfo> mounts, boolean json) {
    public MountList {
        mounts = List.copyOf(mounts);
    }

    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return ShellConverter.text(this);
    }
}
