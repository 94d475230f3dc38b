package org.kmodel.fs.ext4.internal;

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
 * ext4 (fs/ext4/super.c register_filesystem(&ext4_fs_type)) and its mke2fs: block sizes 1k, 2k, 4k (and
 * 64k as mke2fs allows), bigalloc clusters, extents of at most 32768 written / 32767 unwritten blocks.
 */
@Component(
        service = {FileSystemType.class, Mkfs.class, org.kmodel.fs.Fsck.class},
        property = {FileSystemType.TYPE + "=ext4"})
public final class Ext4FsType extends DiskFsType {
    @Activate
    public Ext4FsType(@Reference BlockDeviceFactory devices) {
        super(devices);
    }

    /** The trace feature's registry, when it runs: ext4's fallocate events are looked up once per bind. */
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
        return "ext4";
    }

    @Override
    protected FsProfile defaultProfile() {
        return FsProfile.ext4(4096, 4096);
    }

    @Override
    protected FsProfile profileFor(Map<String, String> options) {
        int bs = intOption(options, "blocksize", 4096);
        if (bs != 1024 && bs != 2048 && bs != 4096 && bs != 65536) {
            throw new KernelException(Errno.EINVAL, "mkfs.ext4: invalid block size - " + bs);
        }
        int cluster = intOption(options, "cluster", bs);
        if (cluster < bs || Integer.bitCount(cluster) != 1 || cluster / bs > 65536) {
            throw new KernelException(Errno.EINVAL, "mkfs.ext4: invalid cluster size - " + cluster);
        }
        return FsProfile.ext4(bs, cluster);
    }

    @Override
    protected String report(Path image, long blockCount, FsProfile p) {
        String unit = p.blockSize() >= 1024 ? (p.blockSize() / 1024) + "k" : String.valueOf(p.blockSize());
        return "Creating filesystem with " + blockCount + " " + unit + " blocks"
                + (p.clusterSize() != p.blockSize() ? " (bigalloc, " + p.clusterSize() / 1024 + "k clusters)" : "")
                + "\nWriting superblocks and filesystem accounting information: done\n";
    }
}
