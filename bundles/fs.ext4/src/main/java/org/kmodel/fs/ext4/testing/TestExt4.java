package org.kmodel.fs.ext4.testing;

import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.ext4.internal.Ext4FsType;
import org.kmodel.vfs.spi.FileSystemType;

/** The ext4 bundle's filesystem type and mkfs for a test or benchmark that runs without OSGi. */
public final class TestExt4 {
    private TestExt4() {}

    /** A new ext4 filesystem type on {@code devices}, the one the bundle registers as a service. */
    public static FileSystemType fsType(BlockDeviceFactory devices) {
        return new Ext4FsType(devices);
    }

    /** mkfs.ext4 on {@code devices} (the same component, seen as its {@link Mkfs} service). */
    public static Mkfs mkfs(BlockDeviceFactory devices) {
        return new Ext4FsType(devices);
    }
}
