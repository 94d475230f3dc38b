package org.kmodel.shell.internal.vfs;

import java.util.Locale;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Stat;

/**
 * {@code stat -c FORMAT} and {@code stat --printf FORMAT} (coreutils' stat.c, print_stat): the directives kmodel's
 * struct stat carries. {@code -c} ends each file with a newline; {@code --printf} interprets backslash escapes
 * and adds none.
 */
final class StatFormat {
    private StatFormat() {}

    static String format(String fmt, String name, Stat s, boolean printf) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (printf && c == '\\' && i + 1 < fmt.length()) {
                char e = fmt.charAt(++i);
                sb.append(
                        switch (e) {
                            case 'n' -> "\n";
                            case 't' -> "\t";
                            case '\\' -> "\\";
                            case '"' -> "\"";
                            default -> "\\" + e;
                        });
                continue;
            }
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            sb.append(directive(d, name, s));
        }
        return printf ? sb.toString() : sb.append('\n').toString();
    }

    private static String directive(char d, String name, Stat s) {
        return switch (d) {
            case '%' -> "%";
            case 'n' -> name;
            case 'N' -> "'" + name + "'";
            case 's' -> Long.toString(s.size());
            case 'b' -> Long.toString(s.blocks());
            case 'B' -> "512";
            case 'o' -> Integer.toString(s.blksize());
            case 'i' -> Long.toString(s.ino());
            case 'h' -> Integer.toString(s.nlink());
            case 'a' -> Integer.toOctalString(s.permissions());
            case 'A' -> Formats.modeString(s.mode());
            case 'f' -> Integer.toHexString(s.mode());
            case 'F' ->
                s.type() == FileType.REGULAR && s.size() == 0
                        ? "regular empty file"
                        : s.type().description();
            case 'u' -> Integer.toString(s.uid());
            case 'U' -> s.uid() == 0 ? "root" : "UNKNOWN";
            case 'g' -> Integer.toString(s.gid());
            case 'G' -> s.gid() == 0 ? "root" : "UNKNOWN";
            case 'd' -> Long.toString(s.dev());
            case 'D' -> Long.toHexString(s.dev());
            case 't' -> Long.toHexString(s.rdev() >> 8);
            case 'T' -> Long.toHexString(s.rdev() & 0xff);
            case 'x' -> Formats.statTime(s.atime());
            case 'y' -> Formats.statTime(s.mtime());
            case 'z' -> Formats.statTime(s.ctime());
            case 'w' -> "-";
            case 'X' -> Long.toString(s.atime() / 1_000_000_000L);
            case 'Y' -> Long.toString(s.mtime() / 1_000_000_000L);
            case 'Z' -> Long.toString(s.ctime() / 1_000_000_000L);
            case 'W' -> "0";
            default ->
                throw new KernelException(Errno.EINVAL, String.format(Locale.ROOT, "'%%%c': invalid directive", d));
        };
    }
}
