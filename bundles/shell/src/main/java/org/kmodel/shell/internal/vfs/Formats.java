package org.kmodel.shell.internal.vfs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Stat;

/** Renders VFS DTOs the way coreutils (ls, stat), util-linux and e2fsprogs print them. */
final class Formats {
    private static final DateTimeFormatter LS_TIME =
            DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {}

    /**
     * Drops one trailing newline: the shell (and the command runner) end every result with one, as the kernel
     * commands of the platform do.
     */
    static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code -rw-r--r--} (coreutils filemodestring). */
    static String modeString(int mode) {
        FileType t = FileType.of(mode);
        StringBuilder sb = new StringBuilder().append(t == null ? '?' : t.letter());
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((mode & 04000) != 0) {
            sb.setCharAt(3, (mode & 0100) != 0 ? 's' : 'S');
        }
        if ((mode & 02000) != 0) {
            sb.setCharAt(6, (mode & 010) != 0 ? 's' : 'S');
        }
        if ((mode & 01000) != 0) {
            sb.setCharAt(9, (mode & 01) != 0 ? 't' : 'T');
        }
        return sb.toString();
    }

    static String lsTime(long ns) {
        // coreutils pads the day to two columns ("Nov  7"); single-digit days get a space
        String s = LS_TIME.format(Instant.ofEpochSecond(ns / 1_000_000_000L));
        String[] p = s.split(" ");
        return p[0] + " " + (p[1].length() == 1 ? " " + p[1] : p[1]) + " " + p[2];
    }

    static String statTime(long ns) {
        return STAT_TIME.format(Instant.ofEpochSecond(ns / 1_000_000_000L))
                + String.format(Locale.ROOT, ".%09d +0000", ns % 1_000_000_000L);
    }

    /** stat(1)'s default output for one file. */
    static String stat(String name, Stat s) {
        String type = s.type() == FileType.REGULAR && s.size() == 0
                ? "regular empty file"
                : s.type().description();
        StringBuilder sb = new StringBuilder();
        sb.append("  File: ").append(name).append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "  Size: %-10d\tBlocks: %-10d IO Block: %-6d %s%n",
                s.size(),
                s.blocks(),
                s.blksize(),
                type));
        sb.append(String.format(
                Locale.ROOT,
                "Device: %d,%d\tInode: %-11d Links: %d",
                s.dev() >> 8,
                s.dev() & 0xff,
                s.ino(),
                s.nlink()));
        if (isDevice(s)) {
            sb.append(String.format(Locale.ROOT, "     Device type: %d,%d", devMajor(s.rdev()), devMinor(s.rdev())));
        }
        sb.append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "Access: (%04o/%s)  Uid: (%5d/%8s)   Gid: (%5d/%8s)%n",
                s.permissions(),
                modeString(s.mode()),
                s.uid(),
                s.uid() == 0 ? "root" : "UNKNOWN",
                s.gid(),
                s.gid() == 0 ? "root" : "UNKNOWN"));
        sb.append("Access: ").append(statTime(s.atime())).append('\n');
        sb.append("Modify: ").append(statTime(s.mtime())).append('\n');
        sb.append("Change: ").append(statTime(s.ctime())).append('\n');
        sb.append(" Birth: -\n");
        return sb.toString();
    }

    /** A byte count the way {@code df -h} and {@code ls -h} print it: 1 decimal below 10, powers of 1024. */
    static String human(long bytes) {
        String units = "KMGTPE";
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        if (v < 10) {
            double r = Math.ceil(v * 10) / 10;
            if (r < 10) {
                return String.format(Locale.ROOT, "%.1f%c", r, units.charAt(u));
            }
            v = r;
        }
        return String.format(Locale.ROOT, "%d%c", (long) Math.ceil(v), units.charAt(u));
    }

    static boolean isDevice(Stat s) {
        return s.type() == FileType.CHARDEV || s.type() == FileType.BLOCKDEV;
    }

    /** The major number of a device node's {@code st_rdev} (new_decode_dev, include/linux/kdev_t.h). */
    static long devMajor(long rdev) {
        return (rdev & 0xfff00) >> 8;
    }

    /** The minor number of a device node's {@code st_rdev}: the low 8 bits and the high 12 (new_decode_dev). */
    static long devMinor(long rdev) {
        return (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
    }
}
