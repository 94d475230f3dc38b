package org.kmodel.fs.xfs.internal;

import java.nio.file.Path;
import java.util.Map;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.fs.extent.disk.DiskFsType;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TracepointRegistry;
import org.kmodel.vfs.spi.FileSystemType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * xfs (fs/xfs/xfs_super.c xfs_fs_type) and its mkfs.xfs: block sizes 512 B to 64 KiB, extents of at most
 * XFS_MAX_BMBT_EXTLEN (2^21 - 1) blocks, UNSHARE_RANGE, s_maxbytes 2^63 - 1.
 */
@Component(
        service = {FileSystemType.class, Mkfs.class, org.kmodel.fs.Fsck.class},
        property = {FileSystemType.TYPE + "=xfs"})
public final class XfsFsType extends DiskFsType {
    @Activate
    public XfsFsType(@Reference BlockDeviceFactory devices) {
        super(devices);
    }

    /** The trace feature's registry, when it runs: xfs's fallocate events are looked up once per bind. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTracepointRegistry(TracepointRegistry registry) {
        bindTracepoints(registry);
    }

    public void unbindTracepointRegistry(TracepointRegistry registry) {
        unbindTracepoints(registry);
    }

    @Deactivate
    void deactivate() {
        syncAll();
    }

    @Override
    public String name() {
        return "xfs";
    }

    @Override
    protected FsProfile defaultProfile() {
        return FsProfile.xfs(4096);
    }

    @Override
    protected FsProfile profileFor(Map<String, String> options) {
        int bs = intOption(options, "blocksize", 4096);
        if (bs < 512 || bs > 65536 || Integer.bitCount(bs) != 1) {
            throw new KernelException(Errno.EINVAL, "mkfs.xfs: illegal block size " + bs);
        }
        if (options.containsKey("cluster")) {
            throw new KernelException(Errno.EINVAL, "mkfs.xfs: unknown option cluster");
        }
        return FsProfile.xfs(bs);
    }

    @Override
    protected String report(Path image, long blockCount, FsProfile p) {
        return "meta-data=" + image + " isize=512\ndata     =" + " bsize=" + p.blockSize() + "   blocks="
                + blockCount + "\nlog      =internal log bsize=" + p.blockSize() + "   blocks="
                + Math.max(64, blockCount / 64)
                + "\n";
    }
}
