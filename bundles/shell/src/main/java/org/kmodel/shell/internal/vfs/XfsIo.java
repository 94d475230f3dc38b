package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.SigbusException;
import org.kmodel.vfs.Vfs;

/**
 * The xfs_io subset xfstests scenarios use (xfsprogs io/): {@code xfs_io [-f] [-r] -c CMD... FILE}. Each
 * {@code -c} runs in order; a failing command prints its error (perror style) and the next one still runs;
 * the exit status is 1 if any failed, as xfs_io does. A SIGBUS in a mapping ends the run like the real signal.
 */
final class XfsIo {
    /** What a run printed on stdout and the error lines (stderr). */
    record Result(String out, List<String> errors, boolean killed) {}

    private final Vfs vfs;
    private final StringBuilder out = new StringBuilder();
    private final List<String> errors = new ArrayList<>();
    private OpenFile file;
    private String path;
    private boolean readOnly;
    private FileMapping mapping;
    private String mapProt = "rw-";
    /** The address the listing shows (the model has no user address space behind xfs_io's mapping). */
    private static final long MAP_BASE = 0x7f0000000000L;
    /** {@code xfs_io -V}: the xfsprogs release whose output the model follows. */
    static final String VERSION = "xfs_io version 6.1.0";

    private XfsIo(Vfs vfs) {
        this.vfs = vfs;
    }

    static Result run(Vfs vfs, String[] args) {
        XfsIo io = new XfsIo(vfs);
        Getopt o = Getopt.parse(args, "frc:V");
        if (o.has('V')) {
            return new Result(VERSION + "\n", io.errors, false);
        }
        List<String> commands = o.values('c');
        if (o.operands().size() != 1) {
            throw new KernelException(Errno.EINVAL, "usage: xfs_io [-frV] [-c cmd]... file");
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
            case "bmap" -> XfsIoBmap.bmap(vfs, path, file, rest, out, errors);
            case "statfs" -> XfsIoBmap.statfs(vfs, path, rest, out, errors);
            case "help" -> XfsIoBmap.help(rest, out, errors);
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

    /**
     * Commands parsed with getopt(3) in xfs_io: a negative number where an operand belongs is an option
     * letter getopt does not know ("pread: invalid option -- '1'"), so it never reaches the system call.
     */
    private boolean badOption(String cmd, String[] rest) {
        for (int i = 0; i < rest.length; i++) {
            String w = rest[i];
            if (w.equals("-S") || w.equals("-b")) {
                i++;
            } else if (w.length() > 1 && w.charAt(0) == '-' && Character.isDigit(w.charAt(1))) {
                errors.add(cmd + ": invalid option -- '" + w.charAt(1) + "'");
                return true;
            }
        }
        return false;
    }

    /**
     * {@code -b bsize} (io/pwrite.c, io/pread.c): cvtnum; a negative or unparsable value is
     * "non-numeric bsize", -1 here. 0 is accepted and transfers nothing; any positive size is taken as the
     * per-call size (the model copies through a smaller buffer, so -b 4g allocates no 4 GiB).
     */
    private long bsize(String[] rest) {
        String v = option(rest, "-b", "4096");
        try {
            long b = Getopt.size(v, "block size");
            if (b >= 0) {
                return b;
            }
        } catch (KernelException e) {
            // below
        }
        errors.add("non-numeric bsize -- " + v);
        return -1;
    }

    /** The copy buffer behind one pwrite/pread call of {@code bsize} bytes: never more than 1 MiB at once. */
    private static final int CHUNK = 1 << 20;

    /**
     * {@code -S seed}: strtoul(optarg, &end, 0) as io/pwrite.c calls it: the longest numeric prefix (hex after
     * 0x, octal after 0) counts, "0xZZ" is 0; no digit at all is "non-numeric seed". The low byte is the pattern.
     */
    static Integer seed(String v) {
        int i = 0;
        int radix = 10;
        if (v.startsWith("0x") || v.startsWith("0X")) {
            radix = 16;
            i = 2;
        } else if (v.startsWith("0")) {
            radix = 8;
        }
        long n = 0;
        int digits = 0;
        for (; i < v.length() && Character.digit(v.charAt(i), radix) >= 0; i++, digits++) {
            n = n * radix + Character.digit(v.charAt(i), radix);
        }
        if (digits == 0) {
            return radix == 16 ? 0 : null; // "0x" alone: strtoul parsed the 0
        }
        return (int) (n & 0xff);
    }

    private void pwrite(String[] rest) {
        if (badOption("pwrite", rest)) {
            return;
        }
        String s = option(rest, "-S", "0xcd");
        Integer pattern = seed(s);
        if (pattern == null) {
            errors.add("non-numeric seed -- " + s);
            return;
        }
        long bsize = bsize(rest);
        if (bsize < 0) {
            return;
        }
        long off = num(rest, 0);
        long len = num(rest, 1);
        byte[] buf = new byte[(int) Math.max(0, Math.min(Math.min(bsize, len), CHUNK))];
        Arrays.fill(buf, (byte) (int) pattern);
        long t0 = System.nanoTime();
        long done = 0;
        int ops = 0;
        while (done < len && bsize > 0) {
            long call = Math.min(bsize, len - done);
            long callDone = 0;
            while (callDone < call) {
                int n = (int) Math.min(buf.length, call - callDone);
                long at = off + done + callDone;
                int[] wrote = {0};
                if (!io("pwrite", () -> wrote[0] = file.pwrite(at, buf, 0, n))) {
                    return;
                }
                callDone += wrote[0];
                if (wrote[0] < n) {
                    break;
                }
            }
            done += callDone;
            ops++;
            if (callDone < call) {
                break;
            }
        }
        if (!has(rest, "-q")) {
            out.append(XfsIoFormat.transfer("wrote", done, len, off, ops, System.nanoTime() - t0));
        }
    }

    private void pread(String[] rest) {
        if (badOption("pread", rest)) {
            return;
        }
        long bsize = bsize(rest);
        if (bsize < 0) {
            return;
        }
        long off = num(rest, 0);
        long len = num(rest, 1);
        byte[] buf = new byte[(int) Math.max(0, Math.min(bsize == 0 ? 0 : len, 1 << 26))];
        long t0 = System.nanoTime();
        int[] n = {0};
        if (buf.length > 0 && !io("pread", () -> n[0] = file.pread(off, buf, 0, buf.length))) {
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
            long end = ops.size() < 2
                    ? Math.max(
                            size,
                            extents.isEmpty()
                                    ? 0
                                    : extents.get(extents.size() - 1).end())
                    : start + len;
            out.append(XfsIoFormat.fiemap(path, extents, start, end, has(rest, "-v")));
        } catch (KernelException e) {
            out.append(path).append(":\n");
            errors.add("xfs_io: ioctl(FS_IOC_FIEMAP) [\"" + path + "\"]: "
                    + e.errno().strerror());
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
        if (ops.size() < 2) {
            // io/mmap.c: without an offset and a length mmap lists the mappings
            if (mapping == null) {
                errors.add("no mapped regions, try 'help mmap'");
            } else {
                out.append(String.format(
                        "[000] 0x%x - 0x%x %s  %14s (%d : %d)%n",
                        MAP_BASE, MAP_BASE + mapping.length(), mapProt, path, mapping.fileOffset(), mapping.length()));
            }
            return;
        }
        mapProt = ((p & Mmap.PROT_READ) != 0 ? "r" : "-") + ((p & Mmap.PROT_WRITE) != 0 ? "w" : "-") + "-";
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

    /**
     * The mapping-relative range of mread/mwrite; io/mmap.c refuses one outside the mapping
     * ("offset (N) is before start of mapping", "length (N) is beyond end of mapping") before touching it.
     */
    private long[] mapRange(String cmd, FileMapping m, String[] rest) {
        if (badOption(cmd, rest)) {
            return null;
        }
        List<String> ops = operands(rest);
        long off = ops.isEmpty() ? 0 : Getopt.size(ops.get(0), "offset") - m.fileOffset();
        long len = ops.size() < 2 ? m.length() - Math.max(0, off) : Getopt.size(ops.get(1), "length");
        if (off < 0) {
            errors.add(cmd + ": offset (" + (off + m.fileOffset()) + ") is before start of mapping");
            return null;
        }
        if (len < 0 || len > m.length() - off || len > Integer.MAX_VALUE - 8) {
            errors.add(cmd + ": length (" + len + ") is beyond end of mapping");
            return null;
        }
        return new long[] {off, len};
    }

    private void mread(String[] rest) {
        FileMapping m = requireMapping();
        long[] r = mapRange("mread", m, rest);
        if (r == null) {
            return;
        }
        long off = r[0];
        byte[] data = m.read(off, (int) r[1]);
        if (has(rest, "-v")) {
            out.append(XfsIoFormat.hexdump(m.fileOffset() + off, data));
        }
    }

    private void mwrite(String[] rest) {
        FileMapping m = requireMapping();
        String s = option(rest, "-S", "0x58");
        Integer pattern = seed(s);
        if (pattern == null) {
            errors.add("non-numeric seed -- " + s);
            return;
        }
        long[] r = mapRange("mwrite", m, rest);
        if (r == null) {
            return;
        }
        byte[] data = new byte[(int) r[1]];
        Arrays.fill(data, (byte) (int) pattern);
        m.write(r[0], data);
    }
}
