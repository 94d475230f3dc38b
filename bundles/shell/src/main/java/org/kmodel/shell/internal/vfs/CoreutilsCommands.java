package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** coreutils and util-linux tools over kmodel's VFS: cp, du, hexdump -C. */
@Component(
        service = CoreutilsCommands.class,
        property = {
            "osgi.command.scope=vfs",
            "osgi.command.function=cp",
            "osgi.command.function=du",
            "osgi.command.function=hexdump"
        })
public class CoreutilsCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor("copy a file (cp [-f] SOURCE DEST; DEST may be a directory); a failed copy leaves no partial DEST")
    public String cp(@Descriptor("options, source and destination") String... args) {
        Getopt o = Getopt.parse(args, "f", "force=f").need(2, 2, "cp [-f] SOURCE DEST");
        String from = o.operands().get(0);
        String to = o.operands().get(1);
        Stat src = stat(from, "cannot stat '" + from + "'");
        if (src.isDirectory()) {
            throw new KernelException(Errno.EISDIR, "-r not specified; omitting directory '" + from + "'");
        }
        if (isDir(to)) {
            to = (to.endsWith("/") ? to : to + "/") + from.substring(from.lastIndexOf('/') + 1);
        }
        boolean existed = exists(to);
        byte[] buf = new byte[1 << 16];
        try (OpenFile in = vfs.open(from, OpenFlags.O_RDONLY, 0)) {
            OpenFile out;
            try {
                out = vfs.open(to, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, src.permissions());
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "cannot create regular file '" + to + "'");
            }
            try (out) {
                for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (KernelException e) {
                if (!existed) {
                    vfs.unlink(to); // nothing half-written is left behind
                }
                throw new KernelException(e.errno(), "error writing '" + to + "'");
            }
        }
        return null;
    }

    @Descriptor("estimate file space usage (du [-s] [-a] [-h] [-b] [PATH...]): 1K blocks from st_blocks")
    public String du(@Descriptor("options and paths") String... args) {
        Getopt o = Getopt.parse(args, "sahb", "summarize=s", "all=a", "human-readable=h", "bytes=b");
        List<String> paths = o.operands().isEmpty() ? List.of(".") : o.operands();
        StringBuilder sb = new StringBuilder();
        for (String p : paths) {
            stat(p, "cannot access '" + p + "'");
            walk(p, o, sb, 0);
        }
        return Formats.strip(sb.toString());
    }

    private long walk(String path, Getopt o, StringBuilder sb, int depth) {
        Stat st = vfs.lstat(path);
        long total = o.has('b') ? st.size() : st.blocks() * 512;
        if (st.isDirectory()) {
            List<DirEntry> entries = new ArrayList<>(vfs.readdir(path));
            entries.sort((a, b) -> a.name().compareTo(b.name()));
            for (DirEntry e : entries) {
                total += walk(path.endsWith("/") ? path + e.name() : path + "/" + e.name(), o, sb, depth + 1);
            }
        }
        boolean print = depth == 0 || !o.has('s') && (st.isDirectory() || o.has('a'));
        if (print) {
            String size = o.has('h')
                    ? (total == 0 ? "0" : Formats.human(total))
                    : Long.toString(o.has('b') ? total : (total + 1023) / 1024);
            sb.append(size).append('\t').append(path).append('\n');
        }
        return total;
    }

    @Descriptor("hexdump -C FILE: the canonical hex+ASCII display; -n LENGTH and -s OFFSET limit it")
    public String hexdump(@Descriptor("options and file") String... args) {
        Getopt o = Getopt.parse(args, "Cn:s:", "canonical=C", "length=n", "skip=s")
                .need(1, 1, "hexdump -C [-n LENGTH] [-s OFFSET] FILE");
        if (!o.has('C')) {
            throw new KernelException(Errno.EINVAL, "only the canonical format is modelled: hexdump -C FILE");
        }
        String file = o.operands().get(0);
        long skip = o.value('s') == null ? 0 : Long.decode(o.value('s'));
        long limit = o.value('n') == null ? Long.MAX_VALUE : Long.decode(o.value('n'));
        byte[] data;
        try (OpenFile f = vfs.open(file, OpenFlags.O_RDONLY, 0)) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long pos = skip;
            for (int n;
                    all.size() < limit
                            && (n = f.pread(pos, buf, 0, (int) Math.min(buf.length, limit - all.size()))) > 0; ) {
                all.write(buf, 0, n);
                pos += n;
            }
            data = all.toByteArray();
        } catch (KernelException e) {
            throw new KernelException(e.errno(), file);
        }
        return canonical(data, skip);
    }

    /** util-linux hexdump -C: offset, 16 bytes in two groups of 8, |ASCII|, repeated lines as '*'. */
    static String canonical(byte[] data, long base) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        boolean starred = false;
        for (int off = 0; off < data.length; off += 16) {
            int n = Math.min(16, data.length - off);
            StringBuilder hex = new StringBuilder();
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i == 8) {
                    hex.append(' ');
                }
                if (i < n) {
                    int b = data[off + i] & 0xff;
                    hex.append(String.format(Locale.ROOT, "%02x ", b));
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    hex.append("   ");
                }
            }
            String body = hex + " |" + ascii + "|";
            if (body.equals(previous)) {
                if (!starred) {
                    sb.append("*\n"); // a run of identical lines shows once, as hexdump does without -v
                    starred = true;
                }
                continue;
            }
            starred = false;
            previous = body;
            sb.append(String.format(Locale.ROOT, "%08x  %s%n", base + off, body));
        }
        sb.append(String.format(Locale.ROOT, "%08x%n", base + data.length));
        return sb.toString().stripTrailing();
    }

    private Stat stat(String p, String what) {
        try {
            return vfs.stat(p);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), what);
        }
    }

    private boolean isDir(String p) {
        try {
            return vfs.stat(p).type() == FileType.DIRECTORY;
        } catch (KernelException e) {
            return false;
        }
    }

    private boolean exists(String p) {
        try {
            vfs.lstat(p);
            return true;
        } catch (KernelException e) {
            return false;
        }
    }
}
