package org.kmodel.shell.internal.vfs;

import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ToolErrorException;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** util-linux fallocate(1) and an xfs_io subset over kmodel's VFS. */
@Component(service = FallocateCommands.class, property = {"osgi.command.scope=vfs",
    "osgi.command.function=fallocate", "osgi.command.function=xfs_io"})
public class FallocateCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor("preallocate or deallocate space (fallocate [-c|-i|-p|-z] [-n] [-o OFFSET] -l LENGTH FILE); "
            + "-c collapse, -i insert, -p punch (implies -n), -z zero, -n keep size; sizes take K/M/G/KiB/KB suffixes")
    public String fallocate(@Descriptor("options and file") String... args) {
        Getopt o = Getopt.parse(args, "cipznxvl:o:", "collapse-range=c", "insert-range=i", "punch-hole=p",
                "zero-range=z", "keep-size=n", "posix=x", "verbose=v", "length=l", "offset=o");
        o.need(1, 1, "fallocate [-c|-i|-p|-z] [-n] [-o offset] -l length filename");
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
            f = vfs.open(file, OpenFlags.O_RDWR | (mode == 0 || mode == FallocateMode.KEEP_SIZE ? OpenFlags.O_CREAT : 0),
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
        String action = (mode & FallocateMode.PUNCH_HOLE) != 0 ? "hole created"
                : (mode & FallocateMode.COLLAPSE_RANGE) != 0 ? "removed"
                : (mode & FallocateMode.INSERT_RANGE) != 0 ? "inserted"
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
            throw new KernelException(Errno.EINVAL, "options --collapse-range, --insert-range, --punch-hole and "
                    + "--zero-range are mutually exclusive");
        }
        if (o.has('n')) {
            mode |= FallocateMode.KEEP_SIZE;
        }
        return mode;
    }

    @Descriptor("xfs_io subset: xfs_io [-f] [-r] -c 'CMD ARGS' ... FILE; commands: pwrite [-q] [-S pat] [-b bs] off len, "
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
