package org.kmodel.shell.internal.vfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** File commands over kmodel's VFS (not the host's files): ls, cat, stat, write, append, touch, truncate. */
@Component(
        service = FileCommands.class,
        property = {
            "osgi.command.scope=vfs",
            "osgi.command.function=ls",
            "osgi.command.function=cat",
            "osgi.command.function=stat",
            "osgi.command.function=write",
            "osgi.command.function=append",
            "osgi.command.function=touch",
            "osgi.command.function=truncate"
        })
public class FileCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor("list directory contents (ls [-l] [-a] [-i] [-d] [-h] [-R] [-q|-b|-N] [PATH...]); -R lists "
            + "subdirectories recursively, -q prints ? for control characters, -b escapes them (\\001), -N (default) "
            + "prints names as they are")
    public String ls(@Descriptor("options and paths") String... args) {
        return ls(Operands.stdout(), Operands.stderr(), args);
    }

    /**
     * GNU ls: a missing operand is one {@code cannot access} line on stderr, printed before any listing, and the
     * others are listed as if it were there ({@code ls nope d} prints {@code d:} as a header, since there are two
     * operands); the status is 2 (the runner's failure, 1).
     */
    String ls(java.io.OutputStream stdout, java.io.OutputStream stderr, String... args) {
        Getopt o = Getopt.parse(
                args,
                "laidh1qbNR",
                "hide-control-chars=q",
                "escape=b",
                "literal=N",
                "show-control-chars=N",
                "recursive=R");
        List<String> paths = o.operands().isEmpty() ? List.of(".") : o.operands();
        boolean recursive = o.has('R') && !o.has('d');
        Operands result = new Operands("ls");
        List<String> found = new ArrayList<>();
        List<Stat> stats = new ArrayList<>();
        for (String p : paths) {
            try {
                stats.add(vfs.stat(p));
                found.add(p);
            } catch (KernelException e) {
                result.error(new KernelException(e.errno(), "cannot access '" + p + "'")); // GNU ls's words (ls.c)
            }
        }
        // GNU ls: the operands that are not listed as directories first, as one listing in name order, then each
        // directory in name order under its header (ls.c, main and print_dir)
        List<String> plain = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            (stats.get(i).isDirectory() && !o.has('d') ? dirs : plain).add(found.get(i));
        }
        plain.sort(Comparator.naturalOrder());
        dirs.sort(Comparator.naturalOrder());
        StringBuilder out = new StringBuilder();
        if (!plain.isEmpty()) {
            out.append(lsLines(plain, plain.stream().map(vfs::lstat).toList(), plain, o));
        }
        for (String p : dirs) {
            if (paths.size() > 1 || recursive) {
                out.append(out.length() > 0 ? "\n" : "").append(p).append(":\n");
            }
            listDirectory(p, vfs.stat(p), o, out, recursive);
        }
        result.out(out.toString());
        return result.finish(stdout, stderr, 2);
    }

    /**
     * The entries of one directory; with {@code recursive} (ls -R) then each subdirectory in name order, under its
     * own {@code path:} header after a blank line, as GNU ls does (symbolic links to directories are not followed).
     */
    private void listDirectory(String p, Stat st, Getopt o, StringBuilder out, boolean recursive) {
        List<String[]> names = new ArrayList<>();
        List<String> fullPaths = new ArrayList<>();
        List<Stat> stats = new ArrayList<>();
        if (o.has('a')) {
            names.add(new String[] {"."});
            stats.add(st);
            fullPaths.add(p);
            names.add(new String[] {".."});
            stats.add(vfs.stat(p + "/.."));
            fullPaths.add(p + "/..");
        }
        List<DirEntry> entries = new ArrayList<>(vfs.readdir(p));
        entries.sort(Comparator.comparing(DirEntry::name));
        String prefix = p.endsWith("/") ? p : p + "/";
        for (DirEntry e : entries) {
            if (e.name().startsWith(".") && !o.has('a')) {
                continue;
            }
            names.add(new String[] {e.name()});
            stats.add(vfs.lstat(prefix + e.name()));
            fullPaths.add(prefix + e.name());
        }
        if (o.has('l')) {
            long blocks = stats.stream().mapToLong(Stat::blocks).sum() / 2;
            out.append("total ").append(blocks).append('\n');
        }
        out.append(lsLines(names.stream().map(n -> n[0]).toList(), stats, fullPaths, o));
        if (!recursive) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i)[0];
            Stat s = stats.get(i);
            if (name.equals(".") || name.equals("..") || s.type() != org.kmodel.vfs.FileType.DIRECTORY) {
                continue;
            }
            out.append('\n').append(fullPaths.get(i)).append(":\n");
            listDirectory(fullPaths.get(i), s, o, out, true);
        }
    }

    private String lsLines(List<String> names, List<Stat> stats, List<String> paths, Getopt o) {
        if (!o.has('l')) {
            names = names.stream().map(n -> LsQuoting.quote(n, o)).toList();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                sb.append(o.has('i') ? stats.get(i).ino() + " " : "")
                        .append(names.get(i))
                        .append('\n');
            }
            return sb.toString();
        }
        names = names.stream().map(n -> LsQuoting.quote(n, o)).toList();
        List<String[]> rows = new ArrayList<>();
        int[] w = new int[3];
        int majorWidth = 0;
        int minorWidth = 0;
        for (int i = 0; i < names.size(); i++) {
            Stat s = stats.get(i);
            String size = o.has('h') ? Formats.human(s.size()) : Long.toString(s.size());
            String[] r = {Formats.modeString(s.mode()), Integer.toString(s.nlink()), size};
            if (Formats.isDevice(s)) {
                // a device's "size" column is "MAJOR, MINOR", each right-aligned to its own width over the listing
                // (GNU ls 9.1, gobble_file and print_long_format in src/ls.c)
                majorWidth = Math.max(
                        majorWidth, Long.toString(Formats.devMajor(s.rdev())).length());
                minorWidth = Math.max(
                        minorWidth, Long.toString(Formats.devMinor(s.rdev())).length());
                r[2] = "";
                w[2] = Math.max(w[2], majorWidth + 2 + minorWidth);
            }
            for (int k = 0; k < 3; k++) {
                w[k] = Math.max(w[k], r[k].length());
            }
            rows.add(r);
        }
        for (int i = 0; i < names.size(); i++) {
            Stat s = stats.get(i);
            if (Formats.isDevice(s)) {
                int blanks = Math.max(0, w[2] - (majorWidth + 2 + minorWidth));
                rows.get(i)[2] = pad(Long.toString(Formats.devMajor(s.rdev())), majorWidth + blanks) + ", "
                        + pad(Long.toString(Formats.devMinor(s.rdev())), minorWidth);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            Stat s = stats.get(i);
            String[] r = rows.get(i);
            String name = names.get(i);
            if (s.type() == org.kmodel.vfs.FileType.SYMLINK) {
                name += " -> " + LsQuoting.quote(readlinkQuiet(paths.get(i)), o);
            }
            sb.append(o.has('i') ? s.ino() + " " : "")
                    .append(r[0])
                    .append(' ')
                    .append(pad(r[1], w[1]))
                    .append(" root root ")
                    .append(pad(r[2], w[2]))
                    .append(' ')
                    .append(Formats.lsTime(s.mtime()))
                    .append(' ')
                    .append(name)
                    .append('\n');
        }
        return sb.toString();
    }

    private String readlinkQuiet(String path) {
        try {
            return vfs.readlink(path);
        } catch (KernelException e) {
            return "?";
        }
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    @Descriptor("print files through the VFS, /proc and /sys included (cat [FILE...]); no FILE or '-' reads stdin")
    public String cat(@Descriptor("files; none or '-' is stdin") String... files) {
        return cat(Operands.stdout(), Operands.stderr(), files);
    }

    /**
     * GNU cat: a file that cannot be read is one {@code cat: FILE: strerror} line on stderr where cat comes to it,
     * the other files are still printed, and the status is 1.
     */
    String cat(java.io.OutputStream stdout, java.io.OutputStream stderr, String... files) {
        Getopt o = Getopt.parse(files, "");
        Operands result = new Operands("cat");
        for (String path : o.operands().isEmpty() ? List.of("-") : o.operands()) {
            try {
                result.out(path.equals("-") ? stdin() : readAll(vfs, path));
            } catch (KernelException e) {
                result.error(e);
            }
        }
        return result.finish(stdout, stderr, 1);
    }

    /** The pipe's stdin to its end, as GNU cat reads it (empty in -c mode without a pipe: nothing, status 0). */
    private static byte[] stdin() {
        org.apache.felix.service.command.Process p = org.apache.felix.service.command.Process.Utils.current();
        try {
            return (p != null ? p.in() : System.in).readAllBytes();
        } catch (java.io.IOException e) {
            throw new KernelException(Errno.EIO, "-");
        }
    }

    static byte[] readAll(Vfs vfs, String path) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_RDONLY, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = f.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (KernelException e) {
            throw new KernelException(e.errno(), path);
        }
    }

    @Descriptor("display file status like coreutils stat (stat [-L] FILE...)")
    public Object stat(@Descriptor("options and files") String... args) {
        Getopt o = Getopt.parse(args, "Lc:\u0001:", "json=J", "dereference=L", "format=c", "printf=\u0001")
                .need(1, Integer.MAX_VALUE, "stat [-L] [-c FORMAT|--printf FORMAT|--json] FILE...");
        String fmt = o.value('c') != null ? o.value('c') : o.value('\u0001');
        if (fmt != null) {
            StringBuilder out = new StringBuilder();
            for (String p : o.operands()) {
                try {
                    out.append(
                            StatFormat.format(fmt, p, o.has('L') ? vfs.stat(p) : vfs.lstat(p), o.value('c') == null));
                } catch (KernelException e) {
                    if (e.errno() == Errno.EINVAL
                            && e.what() != null
                            && e.what().contains("directive")) {
                        throw e;
                    }
                    throw new KernelException(e.errno(), "cannot statx '" + p + "'");
                }
            }
            boolean lines = o.value('c') != null; // -c ends each file with a newline the runner adds for the last
            return lines && out.toString().endsWith("\n") ? out.substring(0, out.length() - 1) : out.toString();
        }
        List<StatReport.Entry> files = new ArrayList<>();
        for (String p : o.operands()) {
            try {
                org.kmodel.vfs.Stat st = o.has('L') ? vfs.stat(p) : vfs.lstat(p);
                String name =
                        !o.has('J') && st.type() == org.kmodel.vfs.FileType.SYMLINK ? p + " -> " + vfs.readlink(p) : p;
                files.add(new StatReport.Entry(p, name, st));
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "cannot statx '" + p + "'");
            }
        }
        return new StatReport(List.copyOf(files), o.has('J'));
    }

    @Descriptor("write TEXT and a newline into FILE, replacing its content (like echo TEXT > FILE)")
    public String write(@Descriptor("file") String file, @Descriptor("text words") String... text) {
        Getopt.noOptions(file);
        store(file, String.join(" ", text) + "\n", OpenFlags.O_TRUNC);
        return null;
    }

    @Descriptor("append TEXT and a newline to FILE (like echo TEXT >> FILE)")
    public String append(@Descriptor("file") String file, @Descriptor("text words") String... text) {
        Getopt.noOptions(file);
        store(file, String.join(" ", text) + "\n", OpenFlags.O_APPEND);
        return null;
    }

    private void store(String file, String text, int extra) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (OpenFile f = vfs.open(file, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | extra, 0644)) {
            int done = 0;
            while (done < b.length) {
                done += f.write(b, done, b.length - done);
            }
        }
    }

    @Descriptor("create FILE or update its times (touch [-c] FILE...)")
    public String touch(@Descriptor("options and files") String... args) {
        Getopt o = Getopt.parse(args, "c").need(1, Integer.MAX_VALUE, "touch [-c] FILE...");
        for (String p : o.operands()) {
            try {
                vfs.stat(p);
                long now = System.currentTimeMillis() * 1_000_000L;
                vfs.utimens(p, now, now);
            } catch (KernelException e) {
                if (e.errno() != Errno.ENOENT || o.has('c')) {
                    if (o.has('c') && e.errno() == Errno.ENOENT) {
                        continue;
                    }
                    throw new KernelException(e.errno(), "cannot touch '" + p + "'");
                }
                try {
                    vfs.open(p, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644).close();
                } catch (KernelException c) {
                    throw new KernelException(c.errno(), "cannot touch '" + p + "'"); // GNU touch's words
                }
            }
        }
        return null;
    }

    @Descriptor("shrink or extend FILE to SIZE (truncate [-c] -s [+|-]SIZE[KMG] FILE...)")
    public String truncate(@Descriptor("options and files") String... args) {
        Getopt o = Getopt.parse(args, "cs:", "size=s", "no-create=c")
                .need(1, Integer.MAX_VALUE, "truncate -s SIZE FILE...");
        String spec = o.value('s');
        if (spec == null) {
            throw new KernelException(Errno.EINVAL, "you must specify either '--size' or '--reference'");
        }
        char rel = spec.charAt(0) == '+' || spec.charAt(0) == '-' ? spec.charAt(0) : 0;
        long n = Getopt.size(rel == 0 ? spec : spec.substring(1), "size");
        for (String p : o.operands()) {
            OpenFile f;
            try {
                f = vfs.open(p, OpenFlags.O_WRONLY | (o.has('c') ? 0 : OpenFlags.O_CREAT), 0644);
            } catch (KernelException e) {
                if (o.has('c') && e.errno() == Errno.ENOENT) {
                    continue;
                }
                throw new KernelException(e.errno(), "cannot open '" + p + "' for writing");
            }
            try (f) {
                long cur = f.fstat().size();
                long target = rel == '+' ? cur + n : rel == '-' ? Math.max(0, cur - n) : n;
                f.ftruncate(target);
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "failed to truncate '" + p + "' at " + n + " bytes");
            }
        }
        return null;
    }
}
