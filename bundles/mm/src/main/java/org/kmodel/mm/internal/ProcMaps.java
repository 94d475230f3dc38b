package org.kmodel.mm.internal;

import java.util.List;
import org.kmodel.mm.VmArea;

/**
 * /proc/PID/maps as show_map_vma() (fs/proc/task_mmu.c, 3.15) prints it:
 * {@code "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "}, then, for a named mapping, padding to column 73
 * (seq_setwidth(25 + 6 * sizeof(void *) - 1) and seq_pad) and the name. Anonymous lines keep the trailing
 * space. The offset column is 0 for anonymous mappings.
 */
final class ProcMaps {
    private static final int WIDTH = 25 + 6 * 8 - 1;

    private ProcMaps() {}

    static String format(List<VmArea> vmas) {
        StringBuilder sb = new StringBuilder();
        for (VmArea v : vmas) {
            sb.append(line(v)).append('\n');
        }
        return sb.toString();
    }

    static String line(VmArea v) {
        return line(v, null);
    }

    /** One line; {@code shownName}, if not null, is the name to print for an anonymous VMA ("[stack:TID]"). */
    static String line(VmArea v, String shownName) {
        String file = v.file();
        boolean anon = Syscalls.isAnonName(file) || file.startsWith("[");
        String dev = "00:00";
        long ino = 0;
        String name = null;
        if (file.startsWith("[")) {
            name = file;
        } else if (!anon) {
            String[] parts = file.split(":");
            if (parts.length == 3 && !file.startsWith("/")) { // "fe:00:261033" from a trace: dev and inode only
                dev = parts[0] + ":" + parts[1];
                ino = Long.parseLong(parts[2]);
            } else {
                dev = file.startsWith("/dev/zero") ? "00:04" : "08:01";
                ino = (file.hashCode() & 0x7fffffffL) % 1000000 + 1;
                name = file;
            }
        }
        if (shownName != null && anon) {
            name = shownName;
        }
        long off = anon ? 0 : v.pgoff() << 12;
        StringBuilder sb = new StringBuilder(100);
        sb.append(String.format("%08x-%08x %s %08x %s %d ", v.start(), v.end(), v.perms(), off, dev, ino));
        if (name != null) {
            while (sb.length() < WIDTH) {
                sb.append(' ');
            }
            sb.append(' ').append(name);
        }
        return sb.toString();
    }
}
