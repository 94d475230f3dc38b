package org.kmodel.fs.hostfs.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.service.component.annotations.Component;

/**
 * hostfs (fs/hostfs/hostfs_kern.c, User-Mode Linux): {@code mount -t hostfs /host/dir /mnt}. Every fallocate
 * mode the VFS knows is passed to the host, which answers with its own filesystem's rules and errno, so
 * the same operation stream can run on a kmodel filesystem and on the real one side by side.
 */
@Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=hostfs")
public final class HostFsType implements FileSystemType {
    @Override
    public String name() {
        return "hostfs";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return FsCapabilities.builder()
                .blockSize(4096)
                .maxBytes(Long.MAX_VALUE)
                .requiresDevice(false)
                .fiemap(true)
                .seekUnwrittenCachedAsData(true)
                .magic(HostSuperBlock.MAGIC)
                .fallocateModes(
                        0,
                        FallocateMode.KEEP_SIZE,
                        FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE,
                        FallocateMode.COLLAPSE_RANGE,
                        FallocateMode.ZERO_RANGE,
                        FallocateMode.ZERO_RANGE | FallocateMode.KEEP_SIZE,
                        FallocateMode.INSERT_RANGE,
                        FallocateMode.UNSHARE_RANGE,
                        FallocateMode.UNSHARE_RANGE | FallocateMode.KEEP_SIZE)
                .build();
    }

    @Override
    public SuperBlock mount(MountContext context) {
        // hostfs takes the host directory as the source, or as the option (mount none /mnt -t hostfs -o /dir).
        String dir = context.source();
        if ((dir == null || dir.isEmpty() || dir.equals("none"))
                && !context.options().isEmpty()) {
            dir = context.options();
        }
        Path root = Path.of(dir == null || dir.isEmpty() || dir.equals("none") ? "/" : dir);
        if (!Files.exists(root)) {
            throw new KernelException(Errno.ENOENT, "hostfs: " + root);
        }
        if (!Files.isDirectory(root)) {
            throw new KernelException(Errno.ENOTDIR, "hostfs: " + root);
        }
        try {
            return new HostSuperBlock(root.toAbsolutePath(), capabilities(context.release()));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new KernelException(Errno.ENODEV, "hostfs: no host libc", e);
        }
    }
}
