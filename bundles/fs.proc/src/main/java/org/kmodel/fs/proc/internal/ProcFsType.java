package org.kmodel.fs.proc.internal;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The proc filesystem type ({@code proc_fs_type}, fs/proc/root.c): the ProcFile paths below /proc. */
@Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=proc")
public class ProcFsType implements FileSystemType {
    private final ProcFiles files;

    @Activate
    public ProcFsType(@Reference ProcFiles files) {
        this.files = files;
    }

    @Override
    public String name() {
        return "proc";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return FsCapabilities.builder().magic(ProcSuperBlock.PROC_SUPER_MAGIC).build();
    }

    @Override
    public SuperBlock mount(MountContext context) {
        return new ProcSuperBlock(new ProcTree(files, "/proc"), ProcSuperBlock.PROC_SUPER_MAGIC, context.readOnly());
    }
}
