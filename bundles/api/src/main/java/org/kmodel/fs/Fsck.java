package org.kmodel.fs;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * fsck for one filesystem type (e2fsck, xfs_repair): each disk filesystem bundle registers one, with
 * {@value #TYPE} = the type name, beside its {@link Mkfs}. The check covers at least everything the type's
 * mount refuses an image for, so that an image fsck calls clean mounts, and an image it repaired mounts.
 *
 * <p>The image must not be mounted (EBUSY), as e2fsck refuses a mounted filesystem. Errors that stop the check
 * itself (no such file: ENOENT; not this type at all: EINVAL) are thrown; problems found are reported in the
 * result.
 */
@ConsumerType
public interface Fsck {
    /** Service property: the filesystem type, the same name the VFS mounts it by. */
    String TYPE = "kmodel.fs.type";

    /** "ext4", "xfs". */
    String type();

    /**
     * Checks {@code image} (a relative name is in the state directory, as for mount and mkfs) and, with
     * {@code repair}, fixes what it can (e2fsck -y); without it changes nothing (e2fsck -n).
     */
    FsckResult check(Path image, boolean repair);
}
