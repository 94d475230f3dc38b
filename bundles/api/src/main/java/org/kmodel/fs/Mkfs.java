package org.kmodel.fs;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * mkfs for one filesystem type (mke2fs, mkfs.xfs). Registered with {@value #TYPE} = the type name.
 */
@ConsumerType
public interface Mkfs {
    /** Service property: the filesystem type, the same name the VFS mounts it by. */
    String TYPE = "kmodel.fs.type";

    /** "ext4", "xfs". */
    String type();

    /**
     * Writes a new empty filesystem to {@code image} (a host file, created sparse with {@code size} bytes if
     * missing; an existing image keeps its size when {@code size <= 0}). Options: {@code blocksize} (bytes),
     * and for ext4 {@code cluster} (bigalloc cluster size in bytes). EINVAL for an unsupported block size or a
     * device too small.
     */
    MkfsResult mkfs(Path image, long size, Map<String, String> options);
}
