package org.kmodel.vfs.internal;

import org.kmodel.kernel.ProcFile;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** /proc/filesystems (fs/filesystems.c {@code filesystems_proc_show}). */
@Component(service = ProcFile.class, property = ProcFile.PATH + "=/proc/filesystems")
public class ProcFilesystems implements ProcFile {
    private final Vfs vfs;

    @Activate
    public ProcFilesystems(@Reference Vfs vfs) {
        this.vfs = vfs;
    }

    @Override
    public String read(String wildcard) {
        StringBuilder sb = new StringBuilder();
        for (String line : vfs.filesystems()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
