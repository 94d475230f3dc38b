package org.kmodel.fs.tmpfs.internal;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.service.component.annotations.Component;

/**
 * The tmpfs filesystem type ({@code shmem_fs_type}, mm/shmem.c). Every mount is a new, empty instance whose
 * pages live in memory; {@code -o size=} limits it.
 */
@Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=tmpfs")
public class ShmemFsType implements FileSystemType {
    @Override
    public String name() {
        return "tmpfs";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return ShmemSuperBlock.CAPABILITIES;
    }

    @Override
    public SuperBlock mount(MountContext context) {
        return new ShmemSuperBlock(context.optionMap(), context.readOnly(), context.memory());
    }
}
