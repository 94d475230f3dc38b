package org.kmodel.vfs.spi;

import java.util.Map;
import org.kmodel.kernel.KernelRelease;
import org.osgi.annotation.versioning.ProviderType;

/** What {@link FileSystemType#mount} receives ({@code struct fs_context}): source, options, release. */
@ProviderType
public interface MountContext {
    /** The source argument of mount(8): a device path, a directory for hostfs, or a name ("tmpfs", "proc"). */
    String source();

    /** The raw {@code -o} string without the generic flags the VFS consumed ({@code ro}, {@code rw}, ...); may be empty. */
    String options();

    /**
     * The filesystem options parsed as {@code key[=value]} items separated by commas; items without a value
     * map to {@code ""}. Order is preserved.
     */
    Map<String, String> optionMap();

    /**
     * {@code -o ro} (MS_RDONLY) at mount time. The VFS enforces it (EROFS) and owns the flag afterwards: a later
     * {@code remount,ro} or {@code remount,rw} changes the mount's flag without calling the filesystem.
     */
    boolean readOnly();

    /** The release profile the VFS runs with; per-release behaviour (modes, errnos) follows it. */
    KernelRelease release();

    /** The anonymous device number the VFS assigned to this mount (st_dev of its files). */
    long deviceNumber();

    /** The memory a filesystem that keeps its data in RAM charges its pages to (tmpfs). */
    default PageBudget memory() {
        return PageBudget.UNLIMITED;
    }
}
