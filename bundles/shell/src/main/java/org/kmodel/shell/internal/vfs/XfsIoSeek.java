package org.kmodel.shell.internal.vfs;

import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.Whence;

/**
 * xfs_io's {@code seek -a|-d|-h [-r] [-s] off} (xfsprogs io/seek.c {@code seek_f}), described in our words:
 * <ol>
 * <li>Find what lies at {@code off}: with -h (alone or in -a) ask SEEK_HOLE first; if that is {@code off}
 * itself, or only holes are wanted, the first item is that hole. Otherwise the first item is SEEK_DATA.</li>
 * <li>Print {@code Whence\tResult} (with -s {@code Whence\tStart\tResult}).</li>
 * <li>Walk the items alternately data, hole, data... from there, each search starting where the last one
 * ended: print an item if its kind was asked for; without -r each kind is printed once and the walk stops
 * when both asked kinds were printed. A search that finds nothing (ENXIO) ends the walk, and prints
 * {@code KIND\tEOF} only when it was the very first search. Other errors print {@code ERR\tstart\t} and
 * perror's text on stderr.</li>
 * </ol>
 * So {@code seek -a 0} on a file with data at 0 prints {@code DATA 0} and then the hole after it, and on an
 * empty file only {@code DATA EOF}.
 */
final class XfsIoSeek {
    private static final int DATA = 0;
    private static final int HOLE = 1;
    private static final String[] NAME = {"DATA", "HOLE"};
    private static final int[] WHENCE = {Whence.SEEK_DATA, Whence.SEEK_HOLE};
    /** What libxcmd's command_usage prints for seek: name, args, " -- ", the one-line help. */
    static final String USAGE = "seek -a | -d | -h [-r] off -- locate the next data and/or hole\n";

    private XfsIoSeek() {}

    /** Runs {@code seek ARGS}; false if the arguments were wrong (the caller prints the usage error). */
    static boolean run(OpenFile file, String[] args, StringBuilder out, List<String> errors) {
        int flags = 0; // bit 0: data, bit 1: hole
        boolean recurse = false;
        boolean showStart = false;
        String operand = null;
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1 && !Character.isDigit(a.charAt(1))) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'a' -> flags |= 3;
                        case 'd' -> flags |= 1;
                        case 'h' -> flags |= 2;
                        case 'r' -> recurse = true;
                        case 's' -> showStart = true;
                        default -> {
                            return false;
                        }
                    }
                }
            } else if (operand == null) {
                operand = a;
            } else {
                return false;
            }
        }
        if (flags == 0 || operand == null) {
            return false;
        }
        long start = Getopt.size(operand, "offset");
        if (start < 0) {
            return false;
        }
        int current;
        long offset;
        long first = (flags & 2) != 0 ? lseek(file, start, HOLE) : Long.MIN_VALUE;
        if ((flags & 2) != 0 && (first == start || (flags & 1) == 0)) {
            current = HOLE;
            offset = first;
        } else {
            current = DATA;
            offset = lseek(file, start, DATA);
        }
        out.append(showStart ? "Whence\tStart\tResult\n" : "Whence\tResult\n");
        for (int n = 0; flags != 0; n++) {
            if (offset < 0) {
                if (offset != ENXIO || n == 0) {
                    print(out, errors, showStart, current, start, offset);
                }
                return true;
            }
            if ((flags & (1 << current)) != 0) {
                print(out, errors, showStart, current, start, offset);
            }
            if (!recurse) {
                flags &= ~(1 << current);
            }
            current ^= 1;
            start = offset;
            offset = lseek(file, start, current);
        }
        return true;
    }

    /** lseek's "nothing found"; other failures are encoded as {@code -2 - errno.ordinal()}. */
    private static final long ENXIO = -1;

    private static long lseek(OpenFile file, long from, int kind) {
        try {
            return file.lseek(from, WHENCE[kind]);
        } catch (KernelException e) {
            return e.errno() == Errno.ENXIO ? ENXIO : -2 - e.errno().ordinal();
        }
    }

    private static void print(
            StringBuilder out, List<String> errors, boolean showStart, int kind, long start, long offset) {
        if (offset == ENXIO) {
            out.append(NAME[kind])
                    .append('\t')
                    .append(showStart ? start + "\t" : "")
                    .append("EOF\n");
        } else if (offset < 0) {
            out.append("ERR\t").append(start).append('\t');
            errors.add(Errno.values()[(int) (-2 - offset)].strerror()); // perror("")
        } else {
            out.append(NAME[kind])
                    .append('\t')
                    .append(showStart ? start + "\t" : "")
                    .append(offset)
                    .append('\n');
        }
    }
}
