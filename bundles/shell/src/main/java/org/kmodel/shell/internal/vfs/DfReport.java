package org.kmodel.shell.internal.vfs;

import java.util.List;
import org.kmodel.shell.internal.ShellConverter;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.StatFs;

/**
 * What {@code df} returns: each mount with its statfs(2). {@code human} is {@code -h}; {@code all} shows the
 * filesystems without blocks (proc, sysfs) in the text, as {@code -a} or named paths do; {@code json}: {@code --json}
 * (every entry).
 */
public record DfReport(List<Entry> entries, boolean human, boolean all, boolean json) {
    public DfReport {
        entries = List.copyOf(entries);
    }

    /** One mount and its statfs(2). */
    public record Entry(MountInfo mount, StatFs statfs) {}

    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return ShellConverter.text(this);
    }
}
