package org.kmodel.kernel.internal;

import java.util.SortedMap;
import java.util.TreeMap;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;
import org.kmodel.kernel.Sysctl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * procps {@code sysctl} over /proc/sys: a key is the path with dots for slashes. Errors read like procps:
 * {@code cannot stat /proc/sys/kernel/nope: No such file or directory},
 * {@code setting key "kernel.tainted": Invalid argument}.
 */
@Component(service = Sysctl.class)
public class SysctlService implements Sysctl {
    private final ProcFs proc;

    @Activate
    public SysctlService(@Reference ProcFs proc) {
        this.proc = proc;
    }

    @Override
    public String read(String key) {
        String path = Sysctl.path(key);
        try {
            return strip(proc.read(path));
        } catch (KernelException e) {
            throw e.errno() == Errno.ENOENT ? new KernelException(Errno.ENOENT, "cannot stat " + path) : e;
        }
    }

    @Override
    public void write(String key, String value) {
        String path = Sysctl.path(key);
        if (!proc.paths().contains(path) && !exists(path)) {
            throw new KernelException(Errno.ENOENT, "cannot stat " + path);
        }
        try {
            proc.write(path, value);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "setting key \"" + Sysctl.key(path) + "\"", e);
        }
    }

    private boolean exists(String path) {
        try {
            proc.read(path);
            return true;
        } catch (KernelException e) {
            return e.errno() != Errno.ENOENT;
        }
    }

    @Override
    public SortedMap<String, String> all() {
        SortedMap<String, String> map = new TreeMap<>();
        for (String path : proc.paths()) {
            if (path.startsWith("/proc/sys/") && !path.contains("*")) {
                try {
                    map.put(Sysctl.key(path), strip(proc.read(path)));
                } catch (KernelException unreadable) {
                    // sysctl -a skips files it cannot read, as procps does for write-only entries
                }
            }
        }
        return map;
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
