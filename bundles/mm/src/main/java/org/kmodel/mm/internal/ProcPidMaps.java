package org.kmodel.mm.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.mm.MmService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** /proc/PID/maps (fs/proc/task_mmu.c): the VMAs of a task's mm, for {@code cat /proc/1/maps}. */
@Component(service = ProcFile.class, property = ProcFile.PATH + "=/proc/*/maps")
public class ProcPidMaps implements ProcFile {
    private final MmService mm;

    @Activate
    public ProcPidMaps(@Reference MmService mm) {
        this.mm = mm;
    }

    @Override
    public String read(String pid) {
        int p;
        try {
            p = "self".equals(pid) ? 1 : Integer.parseInt(pid);
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.ENOENT, "/proc/" + pid + "/maps");
        }
        if (mm.task(p) == null) {
            throw new KernelException(Errno.ENOENT, "/proc/" + pid + "/maps");
        }
        return mm.procMaps(p);
    }

    /** proc_pid_readdir: "self" and every thread group leader's PID (threads live below /proc/PID/task). */
    @Override
    public java.util.List<String> instances() {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("self");
        for (org.kmodel.mm.Task t : mm.tasks()) {
            if (t.pid() == t.tgid()) {
                out.add(Integer.toString(t.pid()));
            }
        }
        return out;
    }
}
