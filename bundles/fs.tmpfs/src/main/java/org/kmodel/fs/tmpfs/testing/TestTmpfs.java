package org.kmodel.fs.tmpfs.testing;

import org.kmodel.fs.tmpfs.internal.ShmemFsType;
import org.kmodel.vfs.spi.FileSystemType;

/** The tmpfs bundle's filesystem type for a test or benchmark that runs without OSGi. */
public final class TestTmpfs {
    private TestTmpfs() {}

    /** A new tmpfs filesystem type, the one the bundle registers as a service. */
    public static FileSystemType fsType() {
        return new ShmemFsType();
    }
}
