package org.kmodel.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The kernel shell's one option parser: getopt_long(3) as the GNU tools and kmod use it. Short flags combine
 * ({@code -kn}), a short option takes its value attached or as the next word ({@code -o4096}, {@code -o 4096}),
 * long forms take {@code --offset=4096} or {@code --offset 4096}, {@code --} ends the options, and options and
 * operands may be mixed (GNU permutation) unless {@link #stopAtOperand} is set (a command line of its own follows,
 * as after {@code trace-cmd record -e EVENT}). An unknown option fails as glibc's getopt words it,
 * {@code invalid option -- 'x'} or {@code unrecognized option '--x'}, with EINVAL.
 *
 * <p>The spec is getopt's: {@code "lo:n"} is {@code -l}, {@code -o VALUE}, {@code -n}; a long name is
 * {@code "name=letter"} (an alias of a short option) or a bare {@code "name"} (a long-only flag, or
 * {@code "name:"} a long-only option with a value), asked for with {@link #has(String)}.
 */
public final class Getopt {
    /** The target of a long-only option with a value (a flag's is ""; an alias's, its letter). */
    private static final String LONG_WITH_VALUE = "::";

    private final String spec;
    private final Map<String, String> longs = new HashMap<>();
    private final Map<Character, String> values = new HashMap<>();
    private final Map<String, String> longValues = new HashMap<>();
    private final Map<Character, List<String>> all = new HashMap<>();
    private final StringBuilder flags = new StringBuilder();
    private final Set<String> longSeen = new HashSet<>();
    private final List<String> operands = new ArrayList<>();
    private boolean numbersAreOperands = true;
    private boolean stopAtOperand;

    private Getopt(String spec, String... longNames) {
        this.spec = spec;
        for (String l : longNames) {
            String n = l.startsWith("--") ? l.substring(2) : l;
            int eq = n.indexOf('=');
            if (eq >= 0) {
                longs.put(n.substring(0, eq), n.substring(eq + 1));
            } else if (n.endsWith(":")) {
                longs.put(n.substring(0, n.length() - 1), LONG_WITH_VALUE);
            } else {
                longs.put(n, "");
            }
        }
    }

    /** Parses with a negative number ({@code -5}) taken as an operand, as the file commands want. */
    public static Getopt parse(String[] args, String spec, String... longNames) {
        return new Getopt(spec, longNames).run(args);
    }

    /** A parser to configure ({@link #numbersAreOptions()}, {@link #stopAtOperand()}) and then {@link #run}. */
    public static Getopt of(String spec, String... longNames) {
        return new Getopt(spec, longNames);
    }

    /** {@code -5} is an option letter (getopt's own rule): {@code invalid option -- '5'} unless the spec has it. */
    public Getopt numbersAreOptions() {
        numbersAreOperands = false;
        return this;
    }

    /** The first operand ends the options (POSIXLY_CORRECT, getopt's "+" spec): the rest are operands. */
    public Getopt stopAtOperand() {
        stopAtOperand = true;
        return this;
    }

    /**
     * For commands that take no option: an operand that looks like one ("-x", "--x", but not "-" or a
     * number) is refused as getopt refuses an unknown option, instead of becoming a file named "--x".
     */
    public static void noOptions(String operand) {
        if (operand != null && operand.startsWith("-") && !operand.equals("-") && !isNumber(operand)) {
            throw new KernelException(Errno.EINVAL, "unrecognized option '" + operand + "'");
        }
    }

    public Getopt run(String[] args) {
        boolean operandsOnly = false;
        String[] a = args == null ? new String[0] : args;
        for (int i = 0; i < a.length; i++) {
            String s = a[i];
            if (operandsOnly || !s.startsWith("-") || s.equals("-") || (numbersAreOperands && isNumber(s))) {
                operands.add(s);
                operandsOnly |= stopAtOperand;
            } else if (s.equals("--")) {
                operandsOnly = true;
            } else if (s.startsWith("--")) {
                i = longOption(a, i);
            } else {
                for (int j = 1; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (spec.indexOf(c) < 0 || c == ':') {
                        throw new KernelException(Errno.EINVAL, "invalid option -- '" + c + "'");
                    }
                    if (takesValue(c)) {
                        String value = s.substring(j + 1);
                        if (value.isEmpty()) {
                            if (++i >= a.length) {
                                throw new KernelException(Errno.EINVAL, "option requires an argument -- '" + c + "'");
                            }
                            value = a[i];
                        }
                        record(c, value);
                        break;
                    }
                    record(c, null);
                }
            }
        }
        return this;
    }

    private int longOption(String[] a, int i) {
        String s = a[i];
        String name = s.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
            value = name.substring(eq + 1);
            name = name.substring(0, eq);
        }
        String target = longs.get(name);
        if (target == null) {
            throw new KernelException(Errno.EINVAL, "unrecognized option '" + s + "'");
        }
        boolean wantsValue = target.equals(LONG_WITH_VALUE) || (target.length() == 1 && takesValue(target.charAt(0)));
        if (wantsValue && value == null) {
            if (++i >= a.length) {
                throw new KernelException(Errno.EINVAL, "option '--" + name + "' requires an argument");
            }
            value = a[i];
        } else if (!wantsValue && value != null) {
            throw new KernelException(Errno.EINVAL, "option '--" + name + "' doesn't allow an argument");
        }
        if (target.length() == 1) {
            record(target.charAt(0), value);
        } else {
            longSeen.add(name);
            if (value != null) {
                longValues.put(name, value);
            }
        }
        return i;
    }

    private static boolean isNumber(String s) {
        return s.length() > 1 && Character.isDigit(s.charAt(1));
    }

    private boolean takesValue(char c) {
        int i = spec.indexOf(c);
        return i >= 0 && i + 1 < spec.length() && spec.charAt(i + 1) == ':';
    }

    private void record(char c, String value) {
        flags.append(c);
        if (value != null) {
            values.put(c, value);
            all.computeIfAbsent(c, k -> new ArrayList<>()).add(value);
        }
    }

    /** The short option (or its long alias) was given. */
    public boolean has(char c) {
        return flags.indexOf(String.valueOf(c)) >= 0;
    }

    /** How often the short option was given ({@code -vv} is 2). */
    public int count(char c) {
        return (int) flags.chars().filter(f -> f == c).count();
    }

    /** The long-only option was given ({@code "json"} or {@code "--json"}). */
    public boolean has(String longName) {
        return longSeen.contains(longName.startsWith("--") ? longName.substring(2) : longName);
    }

    /** No option at all was given. */
    public boolean none() {
        return flags.length() == 0 && longSeen.isEmpty();
    }

    /** The last value of a short option, or null. */
    public String value(char c) {
        return values.get(c);
    }

    /** The value of a long-only option, or null. */
    public String value(String longName) {
        return longValues.get(longName.startsWith("--") ? longName.substring(2) : longName);
    }

    /** Every value of a repeatable short option ({@code -e A -e B}), in order. */
    public List<String> values(char c) {
        return all.getOrDefault(c, List.of());
    }

    public List<String> operands() {
        return operands;
    }

    /** Between min and max operands, or coreutils' "missing operand" / "extra operand" and the usage. */
    public Getopt need(int min, int max, String usage) {
        if (operands.size() < min) {
            throw new KernelException(Errno.EINVAL, "missing operand\nUsage: " + usage);
        }
        if (operands.size() > max) {
            throw new KernelException(Errno.EINVAL, "extra operand '" + operands.get(max) + "'\nUsage: " + usage);
        }
        return this;
    }

    /** As {@link #need} with the usage on the same line: "missing operand (usage: uname [-asnrvmo])". */
    public Getopt needInline(int min, int max, String usage) {
        if (operands.size() < min) {
            throw new KernelException(Errno.EINVAL, "missing operand (usage: " + usage + ")");
        }
        if (operands.size() > max) {
            throw new KernelException(Errno.EINVAL, "extra operand '" + operands.get(max) + "' (usage: " + usage + ")");
        }
        return this;
    }

    /**
     * A size with util-linux/coreutils suffixes: K, M, G, T, P, E (powers of 1024), KiB.., KB.. (powers of
     * 1000), k=K, and a bare number; hex with 0x. EINVAL for anything else.
     */
    public static long size(String text, String what) {
        try {
            return org.kmodel.kernel.Sizes.parse(text);
        } catch (RuntimeException e) {
            throw new KernelException(Errno.EINVAL, "invalid " + what + " value specified");
        }
    }
}
