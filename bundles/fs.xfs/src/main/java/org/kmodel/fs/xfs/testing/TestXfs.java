package org.kmodel.fs.xfs.testing;

import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Fsck;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.xfs.internal.XfsFsType;
import org.kmodel.trace.TracepointRegistry;
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

    /** The xfs checker on {@code devices} (the same component, seen as its {@link Fsck} service). */
    public static Fsck fsck(BlockDeviceFactory devices) {
        return new XfsFsType(devices);
    }

    /**
     * Binds {@code registry} to a type {@link #fsType} made, as DS does when the trace feature comes (also while
     * the type has mounts: the mounted instances pick the events up).
     */
    public static void bindTracepoints(FileSystemType xfs, TracepointRegistry registry) {
        if (!(xfs instanceof XfsFsType type)) {
            throw new IllegalArgumentException("not an xfs type TestXfs.fsType made: " + xfs);
        }
        type.bindTracepointRegistry(registry);
    }
}
