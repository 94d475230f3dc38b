package org.kmodel.fs.extent.disk;

import java.nio.file.Path;
import java.util.Map;

import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.MkfsResult;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * What ext4 and xfs share as a filesystem type: mount of an image file through the block layer
 * (the loop device step of {@code mount -o loop}) and mkfs. Subclasses say which geometry is allowed.
 */
public abstract class DiskFsType implements FileSystemType, Mkfs {
    private final BlockDeviceFactory devices;

    protected DiskFsType(BlockDeviceFactory devices) {
        this.devices = devices;
    }

    /** The profile mkfs makes for these options; EINVAL for geometry the real mkfs refuses. */
    protected abstract FsProfile profileFor(Map<String, String> options);

    /** The profile used by {@link #capabilities(KernelRelease)} before any mount. */
    protected abstract FsProfile defaultProfile();

    @Override
    public String type() {
        return name();
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return DiskSuperBlock.capabilities(defaultProfile(), release);
    }

    @Override
    public SuperBlock mount(MountContext context) {
        BlockDevice dev = devices.openImage(Path.of(context.source()), 0);
        try {
            long commit = 5;
            String c = context.optionMap().get("commit");
            if (c != null) {
                try {
                    commit = Long.parseLong(c);
                } catch (NumberFormatException e) {
                    throw new KernelException(Errno.EINVAL, "bad commit= option");
                }
            }
            return DiskSuperBlock.mount(dev, name(), context.release(), commit, context.options());
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    @Override
    public MkfsResult mkfs(Path image, long size, Map<String, String> options) {
        FsProfile p = profileFor(options);
        try (BlockDevice dev = devices.openImage(image, size)) {
            OnDiskSuper sb = DiskSuperBlock.mkfs(dev, p);
            return new MkfsResult(name(), sb.blockCount(), p.blockSize(), p.clusterSize(), report(image, sb, p));
        }
    }

    /** The summary the real mkfs prints. */
    protected abstract String report(Path image, OnDiskSuper sb, FsProfile p);

    protected static int intOption(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            String t = v.trim().toLowerCase(java.util.Locale.ROOT);
            int mult = t.endsWith("k") ? 1024 : 1;
            return Integer.parseInt(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL, "bad " + key + " '" + v + "'");
        }
    }
}
