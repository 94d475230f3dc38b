package org.kmodel.fs.proc.internal;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ProcFs;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The proc filesystem type ({@code proc_fs_type}, fs/proc/root.c): the ProcFile paths below /proc. */
@Component(service = FileSystemType.class, property = FileSystemType.TYPE + "=proc")
public class ProcFsType implements FileSystemType {
    /** Dynamic and greedy: a replaced (live-patched) ProcFs serves existing mounts at once. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ProcFs procfs;

    public ProcFsType() {}

    /** Without OSGi (tests). */
    public ProcFsType(ProcFs procfs) {
        this.procfs = procfs;
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
        return new ProcSuperBlock(
                new ProcTree(() -> procfs, "/proc"), ProcSuperBlock.PROC_SUPER_MAGIC, context.readOnly());
    }
}
