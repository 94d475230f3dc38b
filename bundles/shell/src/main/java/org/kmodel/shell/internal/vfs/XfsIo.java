package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.SigbusException;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.Whence;

/**
 * The xfs_io subset xfstests scenarios use (xfsprogs io/): {@code xfs_io [-f] [-r] -c CMD... FILE}. Each
 * {@code -c} runs in order; a failing command prints its error (perror style) and the next one still runs;
 * the exit status is 1 if any failed, as xfs_io does. A SIGBUS in a mapping ends the run like the real signal.
 */
final class XfsIo {
    /** What a run printed on stdout and the error lines (stderr). */
    record Result(String out, List<String> errors, boolean killed) {
    }

    private final Vfs vfs;
    private final StringBuilder out = new StringBuilder();
    private final List<String> errors = new ArrayList<>();
    private OpenFile file;
    private String path;
    private boolean readOnly;
    private FileMapping mapping;

    private XfsIo(Vfs vfs) {
        this.vfs = vfs;
    }

    static Result run(Vfs vfs, String[] args) {
        XfsIo io = new XfsIo(vfs);
        Getopt o = Getopt.parse(args, "frc:");
        List<String> commands = new ArrayList<>();
        String[] a = args == null ? new String[0] : args;
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("-c") && i + 1 < a.length) {
                commands.add(a[++i]);
            } else if (a[i].startsWith("-c") && a[i].length() > 2) {
                commands.add(a[i].substring(2));
            }
        }
        if (o.operands().size() != 1) {
            throw new KernelException(Errno.EINVAL, "usage: xfs_io [-fr] [-c cmd]... file");
        }
        io.path = o.operands().get(0);
        io.readOnly = o.has('r');
        int flags = (io.readOnly ? OpenFlags.O_RDONLY : OpenFlags.O_RDWR) | (o.has('f') ? OpenFlags.O_CREAT : 0);
        try {
            io.file = vfs.open(io.path, flags, 0600);
        } catch (KernelException e) {
            io.errors.add(io.path + ": " + e.errno().strerror());
            return new Result("", io.errors, false);
        }
        try {
            for (String c : commands) {
                try {
                    io.command(c.trim().split("\\s+"));
                } catch (SigbusException e) {
                    io.errors.add("Bus error");
                    return new Result(io.out.toString(), io.errors, true);
                }
            }
        } finally {
            if (io.mapping != null) {
                io.mapping.munmap();
            }
            io.file.close();
        }
        return new Result(io.out.toString(), io.errors, false);
    }

    private void command(String[] words) {
        String name = words[0];
        String[] rest = Arrays.copyOfRange(words, 1, words.length);
        switch (name) {
            case "pwrite" -> pwrite(rest);
            case "pread" -> pread(rest);
            case "falloc" -> fallocate(rest, "k", FallocateMode.ALLOCATE);
            case "fpunch" -> fallocate(rest, "", FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE);
            case "fzero" -> fallocate(rest, "k", FallocateMode.ZERO_RANGE);
            case "fcollapse" -> fallocate(rest, "", FallocateMode.COLLAPSE_RANGE);
            case "finsert" -> fallocate(rest, "", FallocateMode.INSERT_RANGE);
            case "funshare" -> fallocate(rest, "", FallocateMode.UNSHARE_RANGE);
            case "truncate" -> io("ftruncate", () -> file.ftruncate(num(rest, 0)));
            case "fsync", "fdatasync" -> io(name, () -> file.fsync());
            case "seek" -> {
                if (!XfsIoSeek.run(file, rest, out, errors)) {
                    out.append(XfsIoSeek.USAGE); // command_usage prints on stdout
                }
            }
            case "fiemap" -> fiemap(rest);
            case "stat" -> out.append(XfsIoStat.stat(vfs, path, file, readOnly, has(rest, "-v")));
            case "mmap" -> mmap(rest);
            case "mread" -> mread(rest);
            case "mwrite" -> mwrite(rest);
            case "msync" -> io("msync", () -> requireMapping().msync());
            case "munmap" -> {
                requireMapping().munmap();
                mapping = null;
            }
            default -> errors.add("command \"" + name + "\" not found");
        }
    }

    private interface Op {
        void run();
    }

    /** Runs one system call; a KernelException becomes xfs_io's perror line. */
    private boolean io(String call, Op op) {
        try {
            op.run();
            return true;
        } catch (SigbusException e) {
            throw e;
        } catch (KernelException e) {
            errors.add(call + ": " + e.errno().strerror());
            return false;
        }
    }

    private static boolean has(String[] words, String flag) {
        return Arrays.asList(words).contains(flag);
    }

    private static List<String> operands(String[] words) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("-S") || words[i].equals("-b")) {
                i++;
            } else if (!words[i].startsWith("-") || words[i].length() > 1 && Character.isDigit(words[i].charAt(1))) {
                out.add(words[i]);
            }
        }
        return out;
    }

    private static String option(String[] words, String flag, String dflt) {
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals(flag)) {
                return words[i + 1];
            }
        }
        return dflt;
    }

    private static long num(String[] words, int index) {
        List<String> ops = operands(words);
        if (ops.size() <= index) {
            throw new KernelException(Errno.EINVAL, "missing argument");
        }
        return Getopt.size(ops.get(index), "number");
    }

    private void fallocate(String[] rest, String allowedFlags, int mode) {
        int m = mode;
        if (allowedFlags.contains("k") && has(rest, "-k")) {
            m |= FallocateMode.KEEP_SIZE;
        }
        long off = num(rest, 0);
        long len = num(rest, 1);
        int fm = m;
        io("fallocate", () -> file.fallocate(fm, off, len));
    }

    private void pwrite(String[] rest) {
        long off = num(rest, 0);
        long len = num(rest, 1);
        int pattern = Integer.decode(option(rest, "-S", "0xcd"));
        int bsize = (int) Getopt.size(option(rest, "-b", "4096"), "block size");
        byte[] buf = new byte[bsize];
        Arrays.fill(buf, (byte) pattern);
        long t0 = System.nanoTime();
        long done = 0;
        int ops = 0;
        while (done < len) {
            int n = (int) Math.min(bsize, len - done);
            long at = off + done;
            int[] wrote = {0};
            if (!io("pwrite", () -> wrote[0] = file.pwrite(at, buf, 0, n))) {
                return;
            }
            done += wrote[0];
            ops++;
            if (wrote[0] < n) {
                break;
            }
        }
        if (!has(rest, "-q")) {
            out.append(XfsIoFormat.transfer("wrote", done, len, off, ops, System.nanoTime() - t0));
        }
    }

    private void pread(String[] rest) {
        long off = num(rest, 0);
        long len = num(rest, 1);
        byte[] buf = new byte[(int) Math.min(len, 1 << 26)];
        long t0 = System.nanoTime();
        int[] n = {0};
        if (!io("pread", () -> n[0] = file.pread(off, buf, 0, buf.length))) {
            return;
        }
        if (has(rest, "-v")) {
            out.append(XfsIoFormat.hexdump(off, Arrays.copyOf(buf, n[0])));
        }
        if (!has(rest, "-q")) {
            out.append(XfsIoFormat.transfer("read", n[0], len, off, n[0] == 0 ? 0 : 1, System.nanoTime() - t0));
        }
    }

    private void fiemap(String[] rest) {
        List<String> ops = operands(rest);
        long size = file.fstat().size();
        long start = ops.isEmpty() ? 0 : Getopt.size(ops.get(0), "offset");
        long len = ops.size() < 2 ? Long.MAX_VALUE - start : Getopt.size(ops.get(1), "length");
        out.append("");
        try {
            var extents = file.fiemap(start, len);
            long end = ops.size() < 2 ? Math.max(size, extents.isEmpty() ? 0 : extents.get(extents.size() - 1).end())
                    : start + len;
            out.append(XfsIoFormat.fiemap(path, extents, start, end, has(rest, "-v")));
        } catch (KernelException e) {
            out.append(path).append(":\n");
            errors.add("xfs_io: ioctl(FS_IOC_FIEMAP) [\"" + path + "\"]: " + e.errno().strerror());
        }
    }

    private void mmap(String[] rest) {
        List<String> ops = operands(rest);
        int prot = 0;
        for (String w : rest) {
            if (w.startsWith("-") && !w.equals("-s")) {
                prot |= w.contains("r") ? Mmap.PROT_READ : 0;
                prot |= w.contains("w") ? Mmap.PROT_WRITE : 0;
            }
        }
        int p = prot == 0 ? Mmap.PROT_READ | Mmap.PROT_WRITE : prot;
        long off = Getopt.size(ops.get(0), "offset");
        long len = Getopt.size(ops.get(1), "length");
        io("mmap", () -> mapping = file.mmap(off, len, p, Mmap.MAP_SHARED));
    }

    private FileMapping requireMapping() {
        if (mapping == null) {
            throw new KernelException(Errno.EINVAL, "no mapped regions, try 'help mmap'");
        }
        return mapping;
    }

    private void mread(String[] rest) {
        FileMapping m = requireMapping();
        List<String> ops = operands(rest);
        long off = ops.isEmpty() ? 0 : Getopt.size(ops.get(0), "offset") - m.fileOffset();
        int len = (int) (ops.size() < 2 ? m.length() : Getopt.size(ops.get(1), "length"));
        byte[] data = m.read(off, len);
        if (has(rest, "-v")) {
            out.append(XfsIoFormat.hexdump(m.fileOffset() + off, data));
        }
    }

    private void mwrite(String[] rest) {
        FileMapping m = requireMapping();
        List<String> ops = operands(rest);
        long off = ops.isEmpty() ? 0 : Getopt.size(ops.get(0), "offset") - m.fileOffset();
        int len = (int) (ops.size() < 2 ? m.length() : Getopt.size(ops.get(1), "length"));
        byte[] data = new byte[len];
        Arrays.fill(data, (byte) (int) Integer.decode(option(rest, "-S", "0x58")));
        m.write(off, data);
    }
}
