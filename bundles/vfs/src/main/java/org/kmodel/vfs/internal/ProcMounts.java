package org.kmodel.vfs.internal;

import org.kmodel.kernel.ProcFile;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** /proc/mounts (fs/proc_namespace.c {@code show_vfsmnt}): one line per mount, in mount order. */
@Component(service = ProcFile.class, property = ProcFile.PATH + "=/proc/mounts")
public class ProcMounts implements ProcFile {
    private final Vfs vfs;

    @Activate
    public ProcMounts(@Reference Vfs vfs) {
        this.vfs = vfs;
    }

    @Override
    public String read(String wildcard) {
        StringBuilder sb = new StringBuilder();
        for (MountInfo m : vfs.mounts()) {
            sb.append(m.procLine()).append('\n');
        }
        return sb.toString();
    }
}
