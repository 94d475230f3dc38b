package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * getopt(3) for the file commands: short flags (combinable, {@code -kn}), short options with a value
 * ({@code -o 4096} or {@code -o4096}), long forms ({@code --offset=4096}, {@code --offset 4096}), {@code --} and
 * operands. Unknown options fail like GNU tools: {@code invalid option -- 'x'} with EINVAL.
 */
final class Getopt {
    private final Map<Character, String> values = new HashMap<>();
    private final StringBuilder flags = new StringBuilder();
    private final List<String> operands = new ArrayList<>();

    /**
     * @param spec short letters; a letter followed by ':' takes a value ("lo:n" = -l, -o VALUE, -n)
     * @param longNames pairs "name=letter", e.g. "offset=o"
     */
    /**
     * For commands that take no option: an operand that looks like one ("-x", "--x", but not "-" or a
     * number) is refused as getopt refuses an unknown option, instead of becoming a file named "--x".
     */
    static void noOptions(String operand) {
        if (operand != null && operand.startsWith("-") && !operand.equals("-") && !isNumber(operand)) {
            throw new KernelException(Errno.EINVAL, "unrecognized option '" + operand + "'");
        }
    }

    static Getopt parse(String[] args, String spec, String... longNames) {
        Getopt g = new Getopt();
        Map<String, Character> longs = new HashMap<>();
        for (String l : longNames) {
            longs.put(l.substring(0, l.indexOf('=')), l.charAt(l.length() - 1));
        }
        boolean operandsOnly = false;
        String[] a = args == null ? new String[0] : args;
        for (int i = 0; i < a.length; i++) {
            String s = a[i];
            if (operandsOnly || !s.startsWith("-") || s.equals("-") || isNumber(s)) {
                g.operands.add(s);
            } else if (s.equals("--")) {
                operandsOnly = true;
            } else if (s.startsWith("--")) {
                String name = s.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Character c = longs.get(name);
                if (c == null) {
                    throw new KernelException(Errno.EINVAL, "unrecognized option '" + s + "'");
                }
                if (takesValue(spec, c) && value == null) {
                    if (++i >= a.length) {
                        throw new KernelException(Errno.EINVAL, "option '--" + name + "' requires an argument");
                    }
                    value = a[i];
                }
                g.record(c, value);
            } else {
                for (int j = 1; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (spec.indexOf(c) < 0 || c == ':') {
                        throw new KernelException(Errno.EINVAL, "invalid option -- '" + c + "'");
                    }
                    if (takesValue(spec, c)) {
                        String value = s.substring(j + 1);
                        if (value.isEmpty()) {
                            if (++i >= a.length) {
                                throw new KernelException(Errno.EINVAL, "option requires an argument -- '" + c + "'");
                            }
                            value = a[i];
                        }
                        g.record(c, value);
                        break;
                    }
                    g.record(c, null);
                }
            }
        }
        return g;
    }

    private static boolean isNumber(String s) {
        return s.length() > 1 && Character.isDigit(s.charAt(1));
    }

    private static boolean takesValue(String spec, char c) {
        int i = spec.indexOf(c);
        return i >= 0 && i + 1 < spec.length() && spec.charAt(i + 1) == ':';
    }

    private void record(char c, String value) {
        flags.append(c);
        if (value != null) {
            values.put(c, value);
        }
    }

    boolean has(char c) {
        return flags.indexOf(String.valueOf(c)) >= 0;
    }

    String value(char c) {
        return values.get(c);
    }

    List<String> operands() {
        return operands;
    }

    Getopt need(int min, int max, String usage) {
        if (operands.size() < min) {
            throw new KernelException(Errno.EINVAL, "missing operand\nUsage: " + usage);
        }
        if (operands.size() > max) {
            throw new KernelException(Errno.EINVAL, "extra operand '" + operands.get(max) + "'\nUsage: " + usage);
        }
        return this;
    }

    /**
     * A size with util-linux/coreutils suffixes: K, M, G, T, P, E (powers of 1024), KiB.., KB.. (powers of
     * 1000), k=K, and a bare number; hex with 0x. EINVAL for anything else.
     */
    static long size(String text, String what) {
        try {
            return org.kmodel.kernel.Sizes.parse(text);
        } catch (RuntimeException e) {
            throw new KernelException(Errno.EINVAL, "invalid " + what + " value specified");
        }
    }
}
