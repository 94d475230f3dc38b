package org.kmodel.kernel;

import java.util.Locale;

/**
 * The one size parser of the tree. Two spellings exist in the tools kmodel imitates, and both are here:
 * <ul>
 * <li>{@link #memparse}: the kernel's {@code memparse} (lib/cmdline.c), used for mount options such as tmpfs
 * {@code size=} and by mkfs: a decimal or {@code 0x} number with an optional {@code k m g t p e} suffix (either
 * case, powers of 1024), nothing else;</li>
 * <li>{@link #parse}: util-linux's {@code strtosize} and xfs_io's {@code cvtnum}, used by the shell's options:
 * the same plus {@code KiB}-style (powers of 1024) and {@code KB}-style (powers of 1000) suffixes, {@code s}
 * for 512-byte sectors, and a leading minus sign.</li>
 * </ul>
 * Both throw {@link NumberFormatException} for malformed text or a value that does not fit a {@code long}; the
 * caller turns it into its tool's message with {@link Errno#EINVAL}.
 */
public final class Sizes {
    private static final String UNITS = "KMGTPE";

    private Sizes() {}

    /** {@code memparse}: {@code [0x]digits[kmgtpe]}. */
    public static long memparse(String text) {
        return parse(text, false);
    }

    /** util-linux / xfs_io sizes: {@code [-][0x]digits[K|KiB|KB ... E|EiB|EB|s]}. */
    public static long parse(String text) {
        return parse(text, true);
    }

    private static long parse(String text, boolean tools) {
        String t = text.trim();
        boolean negative = tools && t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            radix = 16;
            t = t.substring(2);
        }
        int i = 0;
        while (i < t.length() && Character.digit(t.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == 0) {
            throw new NumberFormatException("no number in '" + text + "'");
        }
        try {
            long n = Long.parseLong(t.substring(0, i), radix);
            long value = Math.multiplyExact(n, multiplier(t.substring(i), tools, text));
            return negative ? -value : value;
        } catch (ArithmeticException overflow) {
            throw new NumberFormatException("'" + text + "' does not fit 64 bits");
        }
    }

    private static long multiplier(String suffix, boolean tools, String text) {
        if (suffix.isEmpty()) {
            return 1;
        }
        if (tools && suffix.equals("s")) {
            return 512;
        }
        int p = UNITS.indexOf(Character.toUpperCase(suffix.charAt(0)));
        String rest = suffix.substring(1);
        boolean decimal = tools && rest.equals("B");
        if (p < 0
                || !(rest.isEmpty()
                        || decimal
                        || tools && rest.toLowerCase(Locale.ROOT).equals("ib"))) {
            throw new NumberFormatException("bad suffix in '" + text + "'");
        }
        long base = decimal ? 1000 : 1024;
        long m = 1;
        for (int k = 0; k <= p; k++) {
            m = Math.multiplyExact(m, base);
        }
        return m;
    }
}
