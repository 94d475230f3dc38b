package org.kmodel.shell.internal.vfs;

import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ToolErrorException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** util-linux fallocate(1) and an xfs_io subset over kmodel's VFS. */
@Component(
        service = FallocateCommands.class,
        property = {"osgi.command.scope=vfs", "osgi.command.function=fallocate", "osgi.command.function=xfs_io"})
public class FallocateCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    static final String USAGE = """
            Usage:
             fallocate [options] <filename>

            Preallocate space to, or deallocate space from a file.

            Options:
             -c, --collapse-range remove a range from the file
             -d, --dig-holes      detect zeroes and replace with holes
             -i, --insert-range   insert a hole at range, shifting existing data
             -l, --length <num>   length for range operations, in bytes
             -n, --keep-size      maintain the apparent size of the file
             -o, --offset <num>   offset for range operations, in bytes
             -p, --punch-hole     replace a range with a hole (implies -n)
             -z, --zero-range     zero and ensure allocation of a range
             -x, --posix          use posix_fallocate(3) instead of fallocate(2)
             -v, --verbose        verbose mode

             -h, --help           display this help
             -V, --version        display version""";

    /**
     * {@code fallocate -d}: util-linux's dig_holes, reading the file block by block and punching each run of
     * all-zero blocks (PUNCH_HOLE | KEEP_SIZE); the size and every non-zero byte stay as they were.
     */
    private String digHoles(Getopt o) {
        String file = o.operands().get(0);
        long start = o.value('o') == null ? 0 : Getopt.size(o.value('o'), "offset");
        OpenFile f;
        try {
            f = vfs.open(file, OpenFlags.O_RDWR, 0);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "cannot open " + file);
        }
        long punched = 0;
        try (f) {
            long size = f.fstat().size();
            long end = o.value('l') == null ? size : Math.min(size, start + Getopt.size(o.value('l'), "length"));
            int bs = Math.max(512, f.fstat().blksize());
            byte[] buf = new byte[bs];
            long runStart = -1;
            for (long pos = (start + bs - 1) / bs * bs; pos + bs <= end; pos += bs) {
                int n = f.pread(pos, buf, 0, bs);
                boolean zero = n == bs;
                for (int i = 0; zero && i < n; i++) {
                    zero = buf[i] == 0;
                }
                if (zero && runStart < 0) {
                    runStart = pos;
                } else if (!zero && runStart >= 0) {
                    f.fallocate(FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE, runStart, pos - runStart);
                    punched += pos - runStart;
                    runStart = -1;
                }
            }
            if (runStart >= 0) {
                long last = (end - runStart) / bs * bs;
                f.fallocate(FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE, runStart, last);
                punched += last;
            }
        }
        // util-linux prints the size with size_to_human_string(SIZE_SUFFIX_3LETTER | SIZE_SUFFIX_SPACE): "12 KiB"
        String h = Formats.human(punched);
        h = h.matches(".*[KMGTPE]") ? h.substring(0, h.length() - 1) + " " + h.charAt(h.length() - 1) + "iB" : h + " B";
        return o.has('v') ? file + ": " + h + " (" + punched + " bytes) converted to sparse holes." : null;
    }

    @Descriptor("preallocate or deallocate space (fallocate [-c|-i|-p|-z] [-n] [-o OFFSET] -l LENGTH FILE); "
            + "-c collapse, -i insert, -p punch (implies -n), -z zero, -n keep size; sizes take K/M/G/KiB/KB suffixes")
    public String fallocate(@Descriptor("options and file") String... args) {
        Getopt o = Getopt.parse(
                args,
                "cipznxvdVhl:o:",
                "collapse-range=c",
                "insert-range=i",
                "punch-hole=p",
                "zero-range=z",
                "keep-size=n",
                "posix=x",
                "verbose=v",
                "length=l",
                "offset=o",
                "dig-holes=d",
                "version=V",
                "help=h");
        if (o.has('V')) {
            return "fallocate from util-linux 2.39.3 (kmodel)";
        }
        if (o.has('h')) {
            return USAGE;
        }
        o.need(1, 1, "fallocate [-c|-i|-p|-z] [-n] [-o offset] -l length filename");
        if (o.has('d')) {
            return digHoles(o);
        }
        int mode = mode(o);
        if (o.value('l') == null) {
            throw new KernelException(Errno.EINVAL, "no length argument specified");
        }
        long length = Getopt.size(o.value('l'), "length");
        long offset = o.value('o') == null ? 0 : Getopt.size(o.value('o'), "offset");
        if (length <= 0) {
            throw new KernelException(Errno.EINVAL, "invalid length value specified");
        }
        if (offset < 0) {
            throw new KernelException(Errno.EINVAL, "invalid offset value specified");
        }
        String file = o.operands().get(0);
        OpenFile f;
        try {
            // util-linux: O_CREAT only for plain allocation
            f = vfs.open(
                    file,
                    OpenFlags.O_RDWR | (mode == 0 || mode == FallocateMode.KEEP_SIZE ? OpenFlags.O_CREAT : 0),
                    0644);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "cannot open " + file);
        }
        try (f) {
            f.fallocate(mode, offset, length);
        }
        if (!o.has('v')) {
            return null;
        }
        String action = (mode & FallocateMode.PUNCH_HOLE) != 0
                ? "hole created"
                : (mode & FallocateMode.COLLAPSE_RANGE) != 0
                        ? "removed"
                        : (mode & FallocateMode.INSERT_RANGE) != 0
                                ? "inserted"
                                : (mode & FallocateMode.ZERO_RANGE) != 0 ? "zeroed" : "allocated";
        return file + ": " + humanSize(length) + " (" + length + " bytes) " + action + ".";
    }

    /** util-linux {@code size_to_human_string(SIZE_SUFFIX_3LETTER | SIZE_SUFFIX_SPACE)}: "9.8 KiB", "4 KiB". */
    static String humanSize(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        double rounded = Math.round(v * 10) / 10.0;
        if (rounded == Math.floor(rounded)) {
            return (long) rounded + " " + units[u];
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", rounded, units[u]);
    }

    private static int mode(Getopt o) {
        int mode = 0;
        int exclusive = 0;
        if (o.has('c')) {
            mode = FallocateMode.COLLAPSE_RANGE;
            exclusive++;
        }
        if (o.has('i')) {
            mode = FallocateMode.INSERT_RANGE;
            exclusive++;
        }
        if (o.has('p')) {
            mode = FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE;
            exclusive++;
        }
        if (o.has('z')) {
            mode = FallocateMode.ZERO_RANGE;
            exclusive++;
        }
        if (exclusive > 1) {
            throw new KernelException(
                    Errno.EINVAL,
                    "options --collapse-range, --insert-range, --punch-hole and "
                            + "--zero-range are mutually exclusive");
        }
        if (o.has('n')) {
            mode |= FallocateMode.KEEP_SIZE;
        }
        return mode;
    }

    @Descriptor(
            "xfs_io subset: xfs_io [-f] [-r] -c 'CMD ARGS' ... FILE; commands: pwrite [-q] [-S pat] [-b bs] off len, "
                    + "pread [-v] off len, falloc [-k], fpunch, fzero [-k], fcollapse, finsert, funshare off len, truncate off, "
                    + "fsync, seek -d|-h off, fiemap [-v] [off len], stat [-v], mmap [-r|-w|-rw] off len, mread [-v], "
                    + "mwrite [-S pat], msync, munmap")
    public String xfs_io(CommandSession session, @Descriptor("options, -c commands and file") String... args) {
        XfsIo.Result r = XfsIo.run(vfs, args);
        PrintStream console = session == null ? null : session.getConsole();
        if (r.errors().isEmpty()) {
            return Formats.strip(r.out());
        }
        if (console != null) {
            console.print(r.out());
            console.flush();
        }
        List<String> errs = r.errors();
        // the last error line is the one the runner prints; earlier ones go to stderr now, in order
        for (int i = 0; i < errs.size() - 1; i++) {
            System.err.println(errs.get(i));
        }
        // xfs_io's own lines, as it prints them ("fallocate: Invalid argument", "xfs_io: ioctl(...)"): no
        // "xfs_io: " is put in front of a subcommand's perror line.
        throw new ToolErrorException(r.killed() ? Errno.EFAULT : Errno.EIO, errs.get(errs.size() - 1));
    }
}
