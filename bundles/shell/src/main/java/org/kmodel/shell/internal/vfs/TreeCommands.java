package org.kmodel.shell.internal.vfs;

import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Namespace commands over kmodel's VFS: mkdir, rmdir, rm, mv, ln, mknod, chattr, lsattr. */
@Component(
        service = TreeCommands.class,
        property = {
            "osgi.command.scope=vfs",
            "osgi.command.function=mkdir",
            "osgi.command.function=rmdir",
            "osgi.command.function=rm",
            "osgi.command.function=mv",
            "osgi.command.function=ln",
            "osgi.command.function=mknod",
            "osgi.command.function=chattr",
            "osgi.command.function=lsattr",
            "osgi.command.function=cd",
            "osgi.command.function=pwd"
        })
public class TreeCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor("make directories (mkdir [-p] DIR...)")
    public String mkdir(@Descriptor("options and directories") String... args) {
        Getopt o = Getopt.parse(args, "p", "parents=p").need(1, Integer.MAX_VALUE, "mkdir [-p] DIR...");
        for (String p : o.operands()) {
            try {
                if (o.has('p')) {
                    mkdirs(p);
                } else {
                    vfs.mkdir(p, 0777);
                }
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "cannot create directory '" + p + "'");
            }
        }
        return null;
    }

    private void mkdirs(String path) {
        StringBuilder sb = new StringBuilder(path.startsWith("/") ? "" : ".");
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            sb.append('/').append(c);
            try {
                vfs.mkdir(sb.toString(), 0777);
            } catch (KernelException e) {
                if (e.errno() != Errno.EEXIST || !vfs.stat(sb.toString()).isDirectory()) {
                    throw e;
                }
            }
        }
    }

    @Descriptor("remove empty directories (rmdir DIR...)")
    public String rmdir(@Descriptor("directories") String... args) {
        for (String p : Getopt.parse(args, "")
                .need(1, Integer.MAX_VALUE, "rmdir DIR...")
                .operands()) {
            try {
                vfs.rmdir(p);
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "failed to remove '" + p + "'");
            }
        }
        return null;
    }

    @Descriptor("remove files or, with -r, directory trees (rm [-r] [-f] PATH...)")
    public String rm(@Descriptor("options and paths") String... args) {
        Getopt o = Getopt.parse(args, "rRfd", "recursive=r", "force=f").need(1, Integer.MAX_VALUE, "rm [-rf] PATH...");
        boolean recursive = o.has('r') || o.has('R');
        for (String p : o.operands()) {
            try {
                Stat st = vfs.lstat(p);
                if (st.isDirectory()) {
                    if (!recursive) {
                        throw new KernelException(Errno.EISDIR, "cannot remove '" + p + "'");
                    }
                    removeTree(p);
                } else {
                    vfs.unlink(p);
                }
            } catch (KernelException e) {
                if (o.has('f') && e.errno() == Errno.ENOENT) {
                    continue;
                }
                throw e.what() != null && e.what().startsWith("cannot remove")
                        ? e
                        : new KernelException(e.errno(), "cannot remove '" + p + "'");
            }
        }
        return null;
    }

    private void removeTree(String dir) {
        for (DirEntry e : vfs.readdir(dir)) {
            String child = dir + "/" + e.name();
            if (e.type() == FileType.DIRECTORY) {
                removeTree(child);
            } else {
                vfs.unlink(child);
            }
        }
        vfs.rmdir(dir);
    }

    @Descriptor("rename or move (mv SOURCE DEST; DEST may be a directory)")
    public String mv(@Descriptor("source and destination") String... args) {
        Getopt o = Getopt.parse(args, "f").need(2, 2, "mv SOURCE DEST");
        String from = o.operands().get(0);
        String to = o.operands().get(1);
        if (isDir(to) && !isDir(from) || isDir(to) && !sameOrMissing(from, to)) {
            to = (to.endsWith("/") ? to : to + "/") + baseName(from);
        }
        try {
            vfs.rename(from, to);
        } catch (KernelException e) {
            if (e.errno() == Errno.EXDEV && vfs.lstat(from).isRegular()) {
                copyThenUnlink(from, to); // mv(1) copies across filesystems
                return null;
            }
            throw new KernelException(e.errno(), "cannot move '" + from + "' to '" + to + "'");
        }
        return null;
    }

    private void copyThenUnlink(String from, String to) {
        byte[] data = FileCommands.readAll(vfs, from);
        try (OpenFile f = vfs.open(
                to,
                OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC,
                vfs.stat(from).permissions())) {
            int done = 0;
            while (done < data.length) {
                done += f.write(data, done, data.length - done);
            }
        }
        vfs.unlink(from);
    }

    private boolean sameOrMissing(String a, String b) {
        try {
            return vfs.lstat(a).ino() == vfs.lstat(b).ino();
        } catch (KernelException e) {
            return true;
        }
    }

    private boolean isDir(String p) {
        try {
            return vfs.stat(p).isDirectory();
        } catch (KernelException e) {
            return false;
        }
    }

    static String baseName(String p) {
        String t = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        return t.substring(t.lastIndexOf('/') + 1);
    }

    @Descriptor("make links (ln [-s] TARGET LINK)")
    public String ln(@Descriptor("options, target and link name") String... args) {
        Getopt o = Getopt.parse(args, "sf", "symbolic=s").need(2, 2, "ln [-s] TARGET LINK_NAME");
        String target = o.operands().get(0);
        String link = o.operands().get(1);
        if (isDir(link)) {
            link = link + "/" + baseName(target);
        }
        try {
            if (o.has('s')) {
                vfs.symlink(target, link);
            } else {
                vfs.link(target, link);
            }
        } catch (KernelException e) {
            String kind = o.has('s') ? "symbolic link" : "hard link";
            throw new KernelException(e.errno(), "failed to create " + kind + " '" + link + "'");
        }
        return null;
    }

    @Descriptor("make a FIFO or device node (mknod NAME p | mknod NAME c|b MAJOR MINOR)")
    public String mknod(@Descriptor("name, type p/c/b, major, minor") String... args) {
        Getopt o = Getopt.parse(args, "").need(2, 4, "mknod NAME TYPE [MAJOR MINOR]");
        List<String> a = o.operands();
        FileType t =
                switch (a.get(1)) {
                    case "p" -> FileType.FIFO;
                    case "c", "u" -> FileType.CHARDEV;
                    case "b" -> FileType.BLOCKDEV;
                    default -> throw new KernelException(Errno.EINVAL, "invalid device type '" + a.get(1) + "'");
                };
        long dev = 0;
        if (t != FileType.FIFO) {
            if (a.size() != 4) {
                throw new KernelException(Errno.EINVAL, "missing major/minor");
            }
            long major = deviceNumber(a.get(2), "major");
            long minor = deviceNumber(a.get(3), "minor");
            if (major > 0xfff || minor > 0xfffff) {
                // glibc's mknodat passes the kernel a 32-bit dev (12-bit major, 20-bit minor, linux/kdev_t.h)
                // and fails with EINVAL for a number that does not fit, as `mknod x c 4096 0` shows.
                throw new KernelException(Errno.EINVAL, a.get(0));
            }
            // new_encode_dev (include/linux/kdev_t.h): the low 8 minor bits, the major, the high minor bits
            dev = (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
        }
        vfs.mknod(a.get(0), t.bits() | 0666, dev);
        return null;
    }

    /**
     * coreutils mknod's xstrtoumax: an unsigned number, decimal, octal (0...) or hex (0x...); anything else,
     * a sign included, is "invalid major device number '-1'".
     */
    static long deviceNumber(String s, String which) {
        String t = s.strip();
        try {
            if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                long v = t.startsWith("0x") || t.startsWith("0X")
                        ? Long.parseLong(t.substring(2), 16)
                        : t.length() > 1 && t.startsWith("0") ? Long.parseLong(t.substring(1), 8) : Long.parseLong(t);
                if (v >= 0) {
                    return v;
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new KernelException(Errno.EINVAL, "invalid " + which + " device number '" + s + "'");
    }

    @Descriptor("change inode flags like chattr (chattr +a|-a|+i|-i|=... FILE...)")
    public String chattr(@Descriptor("flag changes and files") String... args) {
        if (args == null || args.length < 2) {
            throw new KernelException(Errno.EINVAL, "Usage: chattr [-+=aAcCdDeijPsStTuFx] files...");
        }
        String spec = args[0];
        char op = spec.charAt(0);
        if (op != '+' && op != '-' && op != '=') {
            throw new KernelException(Errno.EINVAL, "Usage: chattr [-+=aAcCdDeijPsStTuFx] files...");
        }
        int bits = 0;
        for (char c : spec.substring(1).toCharArray()) {
            int b = InodeFlags.ofLetter(c);
            if (b == 0) {
                throw new KernelException(Errno.EINVAL, "bad flag '" + c + "'");
            }
            bits |= b;
        }
        for (int i = 1; i < args.length; i++) {
            int old = vfs.getFlags(args[i]);
            int flags = op == '+' ? old | bits : op == '-' ? old & ~bits : (old & ~InodeFlags.USER_MODIFIABLE) | bits;
            try {
                vfs.setFlags(args[i], flags);
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "while setting flags on " + args[i]);
            }
        }
        return null;
    }

    @Descriptor("list inode flags like lsattr (lsattr FILE...)")
    public String lsattr(@Descriptor("files") String... args) {
        StringBuilder sb = new StringBuilder();
        for (String p : Getopt.parse(args, "")
                .need(1, Integer.MAX_VALUE, "lsattr FILE...")
                .operands()) {
            sb.append(InodeFlags.lsattr(vfs.getFlags(p))).append(' ').append(p).append('\n');
        }
        return Formats.strip(sb.toString());
    }

    @Descriptor("change the working directory of kmodel's task (cd DIR); redirections and relative paths follow")
    public String cd(CommandSession session, @Descriptor("directory") String dir) {
        vfs.chdir(dir);
        if (session != null
                && session.currentDir() != null
                && session.currentDir().getFileSystem() != java.nio.file.FileSystems.getDefault()) {
            // the session's directory is a path of kmodel's file system (SessionSetup): keep it in step, so
            // "cd /tmp; echo x > f" on one line writes /tmp/f
            session.currentDir(session.currentDir().getFileSystem().getPath(vfs.getcwd()));
        }
        return null;
    }

    @Descriptor("print the working directory of kmodel's task")
    public String pwd() {
        return vfs.getcwd();
    }
}
