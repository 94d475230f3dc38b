package org.kmodel.fs.xfs.testing;

import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.xfs.internal.XfsFsType;
import org.kmodel.vfs.spi.FileSystemType;

/** The xfs bundle's filesystem type and mkfs for a test or benchmark that runs without OSGi. */
public final class TestXfs {
    private TestXfs() {}

    /** A new xfs filesystem type on {@code devices}, the one the bundle registers as a service. */
    public static FileSystemType fsType(BlockDeviceFactory devices) {
        return new XfsFsType(devices);
    }

    /** mkfs.xfs on {@code devices} (the same component, seen as its {@link Mkfs} service). */
    public static Mkfs mkfs(BlockDeviceFactory devices) {
        return new XfsFsType(devices);
    }
}
