package org.kmodel.shell.internal.vfs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.Stat;

/** xfs_io's output formats (xfsprogs io/*.c, libfrog cvtstr/timestr): transfer lines, hex dumps, fiemap, stat. */
final class XfsIoFormat {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private XfsIoFormat() {}

    /** libfrog {@code cvtstr}: integral values without decimals, others with three; below 1 KiB "%f bytes". */
    static String cvtstr(double value) {
        boolean precise = value * 1000 == (double) (long) value * 1000;
        String[] units = {"EiB", "PiB", "TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            double unit = Math.pow(1024, 6 - i);
            if (value >= unit) {
                return String.format(Locale.ROOT, precise ? "%.0f %s" : "%.3f %s", value / unit, units[i]);
            }
        }
        return String.format(Locale.ROOT, "%f bytes", value);
    }

    /** The two lines pwrite and pread print: what was transferred, then the rate. */
    static String transfer(String verb, long done, long asked, long offset, int ops, long nanos) {
        double secs = Math.max(nanos, 1) / 1e9;
        return String.format(Locale.ROOT, "%s %d/%d bytes at offset %d%n", verb, done, asked, offset)
                + String.format(
                        Locale.ROOT,
                        "%s, %d ops; %.4f sec (%s/sec and %.4f ops/sec)%n",
                        cvtstr(done),
                        ops,
                        secs,
                        cvtstr(done / secs),
                        ops / secs);
    }

    /**
     * {@code dump_buffer} (xfsprogs io/pread.c): 16 bytes a line, offset, hex, then the bytes that are letters
     * or digits ({@code isalnum} in the C locale); every other byte, space and punctuation included, is '.'.
     */
    static String hexdump(long offset, byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.length; i += 16) {
            sb.append(String.format(Locale.ROOT, "%08x:  ", offset + i));
            int n = Math.min(16, data.length - i);
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < n; j++) {
                int b = data[i + j] & 0xff;
                sb.append(String.format(Locale.ROOT, "%02x ", b));
                ascii.append(isalnum(b) ? (char) b : '.');
            }
            sb.append(' ').append(ascii).append('\n');
        }
        return sb.toString();
    }

    private static boolean isalnum(int b) {
        return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z';
    }

    /** {@code fiemap [-v]}: extents and the holes between them, in 512-byte units, "name:" first. */
    static String fiemap(String name, List<FiemapExtent> extents, long start, long end, boolean verbose) {
        List<String[]> rows = new ArrayList<>();
        long pos = start / 512;
        long endSector = (end + 511) / 512;
        for (FiemapExtent e : extents) {
            long ls = e.logical() / 512;
            long le = (e.end() + 511) / 512;
            if (ls > pos) {
                rows.add(new String[] {range(pos, ls), "hole", Long.toString(ls - pos), null});
            }
            long ps = e.physical() / 512;
            rows.add(new String[] {
                range(ls, le),
                ps + ".." + (ps + (le - ls) - 1),
                Long.toString(le - ls),
                "0x" + Integer.toHexString(e.flags())
            });
            pos = le;
        }
        if (pos < endSector) {
            rows.add(new String[] {range(pos, endSector), "hole", Long.toString(endSector - pos), null});
        }
        StringBuilder sb = new StringBuilder(name).append(":\n");
        if (!verbose) {
            for (int i = 0; i < rows.size(); i++) {
                sb.append('\t')
                        .append(i)
                        .append(": ")
                        .append(rows.get(i)[0])
                        .append(' ')
                        .append(rows.get(i)[1])
                        .append('\n');
            }
            return sb.toString();
        }
        int w0 = "FILE-OFFSET".length();
        int w1 = "BLOCK-RANGE".length();
        int w2 = "TOTAL".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        w0 = Math.max(w0, 16);
        w1 = Math.max(w1, 18);
        sb.append(String.format(
                Locale.ROOT,
                "%4s: %-" + w0 + "s %-" + w1 + "s %" + w2 + "s %s%n",
                "EXT",
                "FILE-OFFSET",
                "BLOCK-RANGE",
                "TOTAL",
                "FLAGS"));
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            String line =
                    String.format(Locale.ROOT, "%4d: %-" + w0 + "s %-" + w1 + "s %" + w2 + "s", i, r[0], r[1], r[2]);
            sb.append(r[3] == null ? line : line + String.format(Locale.ROOT, " %5s", r[3]))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String range(long from, long toExclusive) {
        return "[" + from + ".." + (toExclusive - 1) + "]:";
    }

    /** {@code stat [-v]} for the open file. */
    static String stat(String path, boolean readOnly, Stat s, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        sb.append("fd.path = \"").append(path).append("\"\n");
        sb.append("fd.flags = non-sync,non-direct,")
                .append(readOnly ? "read-only" : "read-write")
                .append('\n');
        sb.append("stat.ino = ").append(s.ino()).append('\n');
        sb.append("stat.type = ").append(s.type().description()).append('\n');
        sb.append("stat.size = ").append(s.size()).append('\n');
        sb.append("stat.blocks = ").append(s.blocks()).append('\n');
        if (verbose) {
            sb.append("stat.atime = ").append(ctime(s.atime())).append('\n');
            sb.append("stat.mtime = ").append(ctime(s.mtime())).append('\n');
            sb.append("stat.ctime = ").append(ctime(s.ctime())).append('\n');
        }
        return sb.toString();
    }

    /** XFS_SUPER_MAGIC: {@code stat} adds the FS_IOC_FSGETXATTR and XFS_IOC_DIOINFO lines only on xfs. */
    static final long XFS_MAGIC = 0x58465342L;

    /** The flags {@code printxattr} (xfsprogs io/attr.c) shows, one column each: rpiasAdtPneEfSxCX. */
    private static final int XFLAG_COLUMNS = 17;

    /**
     * The lines {@code stat} prints after the stat(2) ones on xfs (io/stat.c {@code stat_f}): the fsxattr of
     * FS_IOC_FSGETXATTR and the dioattr of XFS_IOC_DIOINFO. The model's files carry no xattr, project or extent
     * size hints, so xflags is 0: {@code [-----------------]}, or {@code []} with -v. {@code nextents} is the
     * number of data-fork extents; the DIO limits follow from the 512-byte logical sector of the model's
     * devices ({@code xfs_ioc_dioinfo}: mem and min = sector size, max = INT_MAX rounded down to it).
     */
    static String xfsStat(long nextents, boolean verbose, int sectorSize) {
        StringBuilder sb = new StringBuilder();
        sb.append("fsxattr.xflags = 0x0 [")
                .append(verbose ? "" : "-".repeat(XFLAG_COLUMNS))
                .append("]\n");
        sb.append("fsxattr.projid = 0\n");
        sb.append("fsxattr.extsize = 0\n");
        sb.append("fsxattr.cowextsize = 0\n");
        sb.append("fsxattr.nextents = ").append(nextents).append('\n');
        sb.append("fsxattr.naextents = 0\n");
        sb.append("dioattr.mem = 0x").append(Integer.toHexString(sectorSize)).append('\n');
        sb.append("dioattr.miniosz = ").append(sectorSize).append('\n');
        sb.append("dioattr.maxiosz = ")
                .append(Integer.MAX_VALUE & ~(sectorSize - 1))
                .append('\n');
        return sb.toString();
    }

    private static String ctime(long ns) {
        String s = CTIME.format(Instant.ofEpochSecond(ns / 1_000_000_000L));
        String[] p = s.split(" ");
        return p[0] + " " + p[1] + " " + (p[2].length() == 1 ? " " + p[2] : p[2]) + " " + p[3] + " " + p[4];
    }
}
