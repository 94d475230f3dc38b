package org.kmodel.shell.internal.kernel;

import java.util.ArrayList;
import java.util.List;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * A tiny getopt: short flags that may be combined ({@code -sr}), long flags, and operands. An unknown
 * option fails like GNU tools do: {@code invalid option -- 'x'} with EINVAL.
 */
public final class Options {
    private final String flags;
    private final List<String> longFlags;
    private final StringBuilder seen = new StringBuilder();
    private final List<String> operands = new ArrayList<>();
    private final List<String> seenLong = new ArrayList<>();

    private Options(String flags, List<String> longFlags) {
        this.flags = flags;
        this.longFlags = longFlags;
    }

    /** Parses {@code args}; {@code flags} lists the allowed short letters, {@code longFlags} "--name" forms. */
    public static Options parse(String[] args, String flags, String... longFlags) {
        Options o = new Options(flags, List.of(longFlags));
        boolean operandsOnly = false;
        for (String a : args == null ? new String[0] : args) {
            if (operandsOnly || !a.startsWith("-") || a.equals("-")) {
                o.operands.add(a);
            } else if (a.equals("--")) {
                operandsOnly = true;
            } else if (a.startsWith("--")) {
                if (!o.longFlags.contains(a)) {
                    throw new KernelException(Errno.EINVAL, "unrecognized option '" + a + "'");
                }
                o.seenLong.add(a);
            } else {
                for (char c : a.substring(1).toCharArray()) {
                    if (flags.indexOf(c) < 0) {
                        throw new KernelException(Errno.EINVAL, "invalid option -- '" + c + "'");
                    }
                    o.seen.append(c);
                }
            }
        }
        return o;
    }

    public boolean has(char flag) {
        return seen.indexOf(String.valueOf(flag)) >= 0;
    }

    public boolean has(char flag, String longFlag) {
        return has(flag) || seenLong.contains(longFlag);
    }

    public boolean none() {
        return seen.length() == 0 && seenLong.isEmpty();
    }

    public List<String> operands() {
        return operands;
    }

    /** Fails with EINVAL unless there are between min and max operands. */
    public Options operands(int min, int max, String usage) {
        if (operands.size() < min) {
            throw new KernelException(Errno.EINVAL, "missing operand (usage: " + usage + ")");
        }
        if (operands.size() > max) {
            throw new KernelException(Errno.EINVAL, "extra operand '" + operands.get(max) + "' (usage: " + usage + ")");
        }
        return this;
    }
}
