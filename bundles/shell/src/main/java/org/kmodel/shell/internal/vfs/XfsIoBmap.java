package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.Vfs;

/**
 * xfs_io's {@code bmap}, {@code statfs} and {@code help} (xfsprogs io/bmap.c, io/stat.c, libxcmd/help.c), as
 * xfsprogs 6.1 prints them.
 *
 * <p>{@code bmap} is XFS_IOC_GETBMAPX: the file's data fork in 512-byte units, holes included, up to the end of
 * the file: xfs_getbmap stops at the size unless the file has an extent size hint or XFS_DIFLAG_PREALLOC, so
 * speculative preallocation past EOF is not listed. The model does not keep XFS_DIFLAG_PREALLOC (fallocate's
 * mark), so an extent fallocated past EOF with KEEP_SIZE is not listed either, where xfs lists it up to
 * s_maxbytes: a known difference. Unwritten extents are listed as written ones unless {@code -p}
 * asks for BMV_IF_PREALLOC, which flags them (010000 in the {@code -v} FLAGS column). The model's XFS has no
 * allocation groups: one AG spans the device, so the AG column is 0 and AG-OFFSET equals the block range. On
 * another filesystem xfs_io refuses ("foreign file active").
 *
 * <p>{@code statfs} prints statfs(2) and, on XFS, XFS_IOC_FSGEOMETRY and XFS_IOC_FSCOUNTS; the geometry is the
 * one-AG device above, and inodes are allocated one at a time (no 64-inode chunks), so counts.freeino is 0 and
 * counts.allocino the inodes in use.
 */
final class XfsIoBmap {
    static final long XFS_SUPER_MAGIC = 0x58465342L;
    /** What every mount of the model reports in f_flags: ST_VALID (since 2.6.36) and ST_RELATIME. */
    static final long ST_FLAGS = 0x1020;

    static final String BMAP_USAGE = "bmap [-acelpv] [-n nx] -- print block mapping for an XFS file\n";
    static final String STATFS_USAGE =
            "statfs [-c] [-g] [-s] -- statistics on the filesystem of the currently open file\n";
    /** io/bmap.c: FLG_PRE, printed in octal, six digits. */
    private static final int FLG_PRE = 010000;

    /** The commands kmodel's xfs_io knows, with xfs_io's own one-line help (libxcmd help_oneline). */
    static final List<String> COMMANDS = List.of(
            BMAP_USAGE.strip(),
            "falloc [-c] [-k] [-p] [-u] off len -- allocates space associated with part of a file via fallocate",
            "fcollapse off len -- de-allocates space and eliminates the hole by shifting extents",
            "fdatasync -- calls fdatasync(2) to flush the files in-core data to disk",
            "fiemap [-alv] [-n nx] [offset [len]] -- print block mapping for a file",
            "finsert off len -- creates new space for writing within file by shifting extents",
            "fpunch off len -- de-allocates space associated with part of a file via fallocate",
            "fsync -- calls fsync(2) to flush all in-core file state to disk",
            "funshare off len -- unshares shared blocks within the range",
            "fzero [-k] off len -- zeroes space and eliminates holes by preallocating",
            "help [command] -- help for one or all commands",
            "mmap [N] | [-rwxS] [-s size] [off len] -- mmap a range in the current file, show mappings",
            "mread [-r] [off len] -- reads data from a region in the current memory mapping",
            "msync [-ais] [off len] -- flush a region in the current memory mapping",
            "munmap -- unmaps the current memory mapping",
            "mwrite [-r] [-S seed] [off len] -- writes data into a region in the current memory mapping",
            "pread [-b bs] [-qv] [-i N] [-FBR [-Z N]] off len -- reads a number of bytes at a specified offset",
            "pwrite [-i infile [-qdDwNOW] [-s skip]] [-b bs] [-S seed] [-FBR [-Z N]] [-V N] off len -- writes a "
                    + "number of bytes at a specified offset",
            "seek -a | -d | -h [-r] off -- locate the next data and/or hole",
            "stat [-v|-r] -- statistics on the currently open file",
            STATFS_USAGE.strip(),
            "truncate off -- truncates the current file at the given offset");

    private XfsIoBmap() {}

    /** {@code help [command]}: every command's line, or one command's line ("command X not found", stdout). */
    static void help(String[] rest, StringBuilder out, List<String> errors) {
        if (rest.length == 0) {
            COMMANDS.forEach(c -> out.append(c).append('\n'));
            out.append("\nUse 'help commandname' for extended help.\n");
            return;
        }
        for (String c : COMMANDS) {
            if (c.startsWith(rest[0] + " ")) {
                out.append(c).append('\n');
                return;
            }
        }
        out.append("command ").append(rest[0]).append(" not found\n"); // on stdout, and no failure
    }

    /** getopt of one xfs_io command: an unknown option prints "CMD: invalid option -- 'x'" and the usage line. */
    private static Getopt options(
            String cmd, String spec, String usage, String[] rest, StringBuilder out, List<String> errors) {
        try {
            return Getopt.of(spec).numbersAreOptions().run(rest);
        } catch (KernelException e) {
            errors.add(cmd + ": " + e.what());
            out.append(usage);
            return null;
        }
    }

    static void statfs(Vfs vfs, String path, String[] rest, StringBuilder out, List<String> errors) {
        Getopt o = options("statfs", "cgs", STATFS_USAGE, rest, out, errors);
        if (o == null) {
            return;
        }
        boolean all = !o.has('c') && !o.has('g') && !o.has('s');
        StatFs s = vfs.statfs(path);
        out.append("fd.path = \"").append(path).append("\"\n");
        if (all || o.has('s')) {
            out.append("statfs.f_bsize = ")
                    .append(s.bsize())
                    .append('\n')
                    .append("statfs.f_blocks = ")
                    .append(s.blocks())
                    .append('\n')
                    .append("statfs.f_bavail = ")
                    .append(s.bavail())
                    .append('\n')
                    .append("statfs.f_files = ")
                    .append(s.files())
                    .append('\n')
                    .append("statfs.f_ffree = ")
                    .append(s.ffree())
                    .append('\n')
                    .append(String.format(Locale.ROOT, "statfs.f_flags = 0x%x%n", ST_FLAGS));
        }
        if (s.type() != XFS_SUPER_MAGIC) {
            return; // foreign file: no XFS ioctls
        }
        if (all || o.has('g')) {
            out.append("geom.bsize = ")
                    .append(s.bsize())
                    .append('\n')
                    .append("geom.agcount = 1\n")
                    .append("geom.agblocks = ")
                    .append(s.blocks())
                    .append('\n')
                    .append("geom.datablocks = ")
                    .append(s.blocks())
                    .append('\n')
                    .append(
                            "geom.rtblocks = 0\ngeom.rtextents = 0\ngeom.rtextsize = 1\ngeom.sunit = 0\ngeom.swidth = 0\n");
        }
        if (all || o.has('c')) {
            out.append("counts.freedata = ")
                    .append(s.bfree())
                    .append('\n')
                    .append("counts.freertx = 0\n")
                    .append("counts.freeino = 0\n")
                    .append("counts.allocino = ")
                    .append(s.files() - s.ffree())
                    .append('\n');
        }
    }

    /** One row of the map: 512-byte units; {@code block} -1 for a hole. */
    record Row(long offset, long length, long block, boolean unwritten) {}

    static void bmap(Vfs vfs, String path, OpenFile file, String[] rest, StringBuilder out, List<String> errors) {
        StatFs s = vfs.statfs(path);
        if (s.type() != XFS_SUPER_MAGIC) {
            errors.add("foreign file active, bmap command is for XFS filesystems only");
            return;
        }
        Getopt o = options("bmap", "acelpvn:", BMAP_USAGE, rest, out, errors);
        if (o == null) {
            return;
        }
        if (o.has('a') || o.has('c')) {
            out.append(path).append(": no extents\n"); // the model's files have no attribute or CoW fork
            return;
        }
        int vflag = o.count('v');
        long size = file.fstat().size();
        List<Row> rows = rows(file.fiemap(0, Long.MAX_VALUE), size, s.bsize(), o.has('p'));
        if (o.value('n') != null) {
            int n = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Getopt.size(o.value('n'), "count")));
            rows = rows.subList(0, Math.min(n, rows.size()));
        }
        out.append(format(path, rows, vflag, o.has('l'), o.has('p')));
    }

    /** The GETBMAPX records: extents and the holes before them, and a hole up to EOF. */
    static List<Row> rows(List<FiemapExtent> extents, long size, long bsize, boolean prealloc) {
        List<Row> rows = new ArrayList<>();
        long pos = 0;
        long eof = (size + bsize - 1) / bsize * bsize / 512;
        for (FiemapExtent e : extents) {
            long ls = e.logical() / 512;
            // xfs_getbmap maps up to XFS_ISIZE for a file without an extent size hint or XFS_DIFLAG_PREALLOC:
            // speculative preallocation past EOF is not listed (checked against xfs_io 6.1 on the kernel here)
            long le = Math.min((e.end() + 511) / 512, eof);
            if (ls >= eof) {
                break;
            }
            if (ls > pos) {
                rows.add(new Row(pos, ls - pos, -1, false));
            }
            rows.add(new Row(ls, le - ls, e.physical() / 512, prealloc && e.unwritten()));
            pos = le;
        }
        if (eof > pos) {
            rows.add(new Row(pos, eof - pos, -1, false));
        }
        return rows;
    }

    static String format(String path, List<Row> rows, int vflag, boolean lflag, boolean pflag) {
        StringBuilder sb = new StringBuilder();
        if (rows.isEmpty()) {
            return sb.append(path).append(": no extents\n").toString();
        }
        sb.append(path).append(":\n");
        if (vflag == 0) {
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                sb.append('\t')
                        .append(i)
                        .append(": ")
                        .append(range(r))
                        .append(' ')
                        .append(r.block() < 0 ? "hole" : blocks(r));
                sb.append(lflag ? " " + r.length() + " blocks\n" : "\n");
            }
            return sb.toString();
        }
        int foff = 16;
        int boff = 16;
        int aoff = 16;
        int tot = 5;
        int flg = 0;
        for (Row r : rows) {
            foff = Math.max(foff, range(r).length());
            tot = Math.max(tot, Long.toString(r.length()).length());
            if (r.block() >= 0) {
                boff = Math.max(boff, blocks(r).length());
                aoff = Math.max(aoff, blocks(r).length() + 2);
                flg |= r.unwritten() ? FLG_PRE : 0;
            }
        }
        int agno = 2; // max(MINAG_WIDTH, digits of agcount 1)
        sb.append(String.format(
                Locale.ROOT,
                "%4s: %-" + foff + "s %-" + boff + "s %" + agno + "s %-" + aoff + "s %" + tot + "s%s%n",
                "EXT",
                "FILE-OFFSET",
                "BLOCK-RANGE",
                "AG",
                "AG-OFFSET",
                "TOTAL",
                flg != 0 ? " FLAGS" : ""));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.block() < 0) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%4d: %-" + foff + "s %-" + boff + "s %" + agno + "s %-" + aoff + "s %" + tot + "d%n",
                        i,
                        range(r),
                        "hole",
                        "",
                        "",
                        r.length()));
                continue;
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "%4d: %-" + foff + "s %-" + boff + "s %" + agno + "d %-" + aoff + "s %" + tot + "d",
                    i,
                    range(r),
                    blocks(r),
                    0,
                    "(" + blocks(r) + ")",
                    r.length()));
            int f = r.unwritten() ? FLG_PRE : 0;
            sb.append(f == 0 && !pflag ? "\n" : String.format(Locale.ROOT, " %06o%n", f));
        }
        if ((flg != 0 || pflag) && vflag > 1) {
            sb.append(" FLAG Values:\n")
                    .append("    0100000 Shared extent\n")
                    .append("    0010000 Unwritten preallocated extent\n")
                    .append("    0001000 Doesn't begin on stripe unit\n")
                    .append("    0000100 Doesn't end   on stripe unit\n")
                    .append("    0000010 Doesn't begin on stripe width\n")
                    .append("    0000001 Doesn't end   on stripe width\n");
        }
        return sb.toString();
    }

    private static String range(Row r) {
        return "[" + r.offset() + ".." + (r.offset() + r.length() - 1) + "]:";
    }

    private static String blocks(Row r) {
        return r.block() + ".." + (r.block() + r.length() - 1);
    }
}
