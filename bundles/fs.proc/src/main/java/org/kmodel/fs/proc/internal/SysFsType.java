package org.kmodel.fs.proc.internal;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The sysfs filesystem type ({@code sysfs_fs_type}, fs/sysfs/mount.c): the ProcFile paths below /sys. */
@Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=sysfs")
public class SysFsType implements FileSystemType {
    private final ProcFiles files;

    @Activate
    public SysFsType(@Reference ProcFiles files) {
        this.files = files;
    }

    @Override
    public String name() {
        return "sysfs";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return FsCapabilities.builder().magic(ProcSuperBlock.SYSFS_MAGIC).build();
    }

    @Override
    public SuperBlock mount(MountContext context) {
        return new ProcSuperBlock(new ProcTree(files, "/sys"), ProcSuperBlock.SYSFS_MAGIC, context.readOnly());
    }
}
