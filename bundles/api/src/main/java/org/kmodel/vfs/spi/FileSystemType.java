package org.kmodel.vfs.spi;

import org.kmodel.kernel.KernelRelease;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A filesystem type ({@code struct file_system_type}, fs/filesystems.c {@code register_filesystem}).
 * Register an implementation as an OSGi service with the property {@value #TYPE} equal to {@link #name()};
 * that registration is {@code register_filesystem}. Of several services with the same name the VFS uses
 * the one with the highest {@code service.ranking} for new mounts.
 *
 * <pre>
 * &#64;Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=tmpfs")
 * public class ShmemFsType implements FileSystemType { ... }
 * </pre>
 */
@ConsumerType
public interface FileSystemType {
    /** Service property naming the type, e.g. {@code kmodel.fs.type=ext4}. */
    String TYPE = "kmodel.fs.type";

    /** The name mount(8) takes with {@code -t} and /proc/filesystems lists ("tmpfs", "ext4", "xfs"). */
    String name();

    /**
     * What this type supports on the given release, before any mount (for /proc/filesystems, help texts
     * and tests). A mounted instance reports its own, possibly narrower, set through
     * {@link SuperBlock#capabilities()} (block size and features come from the device).
     */
    FsCapabilities capabilities(KernelRelease release);

    /**
     * Mounts a new instance ({@code ->get_tree}/{@code ->mount} plus {@code fill_super}).
     * Errors: EINVAL for bad options, ENOENT/ENOTBLK for a bad source, EUCLEAN for a corrupt image,
     * as the real filesystem does. Nothing must stay allocated after a failure.
     */
    SuperBlock mount(MountContext context);
}
