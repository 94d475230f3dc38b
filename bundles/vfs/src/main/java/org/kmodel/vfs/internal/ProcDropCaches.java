package org.kmodel.vfs.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * /proc/sys/vm/drop_caches (fs/drop_caches.c): writing 1, 2 or 3 writes back and drops clean page cache pages,
 * which turns cached unwritten ranges back into holes for SEEK_DATA (docs/vfs.md#seek_data--seek_hole-and-fiemap).
 */
@Component(service = ProcFile.class, property = ProcFile.PATH + "=/proc/sys/vm/drop_caches")
public class ProcDropCaches implements ProcFile {
    private final Vfs vfs;

    @Activate
    public ProcDropCaches(@Reference Vfs vfs) {
        this.vfs = vfs;
    }

    @Override
    public String read(String wildcard) {
        return "0\n";
    }

    @Override
    public void write(String wildcard, String content) {
        String v = content.trim();
        if (!v.equals("1") && !v.equals("2") && !v.equals("3")) {
            throw new KernelException(Errno.EINVAL, "drop_caches");
        }
        vfs.dropCaches();
    }

    @Override
    public boolean writable() {
        return true;
    }
}
