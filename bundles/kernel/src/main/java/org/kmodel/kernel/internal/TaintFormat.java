package org.kmodel.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;

/**
 * The ways the kernel shows a taint mask: kernel/panic.c {@code print_tainted()}, kernel/module.c
 * {@code module_flags()}, and tools/debugging/kernel-chktaint. Pure functions over (mask, release).
 */
public final class TaintFormat {
    /** 3.15..4.9 module_flags() order: P, O, F, C, E (K was global only then). */
    private static final TaintFlag[] MODULE_ORDER_OLD = {
        TaintFlag.PROPRIETARY_MODULE,
        TaintFlag.OOT_MODULE,
        TaintFlag.FORCED_MODULE,
        TaintFlag.CRAP,
        TaintFlag.UNSIGNED_MODULE
    };

    private TaintFormat() {}

    /** The flag letters, exactly TAINT_FLAGS_COUNT of them: set letter, or G/space when clear. */
    public static String letters(long mask, KernelRelease release) {
        StringBuilder sb = new StringBuilder();
        for (TaintFlag f : TaintFlag.table(release)) {
            sb.append((mask & f.mask()) != 0 ? f.letter() : f.clearChar());
        }
        return sb.toString();
    }

    /** {@code print_tainted()}: "Not tainted" or "Tainted: " + letters; trailing spaces are kept. */
    public static String tainted(long mask, KernelRelease release) {
        long valid = mask & TaintFlag.validMask(release);
        return valid == 0 ? "Not tainted" : "Tainted: " + letters(valid, release);
    }

    /** {@code module_flags()}: "(POE)", "(O+)", or "" for an untainted live module. */
    public static String moduleFlags(long moduleMask, boolean coming, boolean going, KernelRelease release) {
        StringBuilder sb = new StringBuilder();
        if (release.atLeast(4, 10)) {
            for (TaintFlag f : TaintFlag.table(release)) {
                if (f.perModule() && (moduleMask & f.mask()) != 0) {
                    sb.append(f.letter());
                }
            }
        } else {
            for (TaintFlag f : MODULE_ORDER_OLD) {
                if (f.existsIn(release) && (moduleMask & f.mask()) != 0) {
                    sb.append(f.letter());
                }
            }
        }
        if (coming) {
            sb.append('+');
        } else if (going) {
            sb.append('-');
        }
        return sb.length() == 0 ? "" : "(" + sb + ")";
    }

    /** tools/debugging/kernel-chktaint's report for a mask, one line per element. */
    public static List<String> chktaint(long mask, KernelRelease release) {
        List<String> out = new ArrayList<>();
        if (mask == 0) {
            out.add("Kernel not Tainted");
            return out;
        }
        out.add("Kernel is \"tainted\" for the following reasons:");
        for (TaintFlag f : TaintFlag.table(release)) {
            if ((mask & f.mask()) != 0) {
                out.add(" * " + f.description() + " (#" + f.bit() + ")");
            }
        }
        long unknown = mask & ~TaintFlag.validMask(release);
        if (unknown != 0) {
            out.add(" * bits unknown to " + release.version() + ": " + Long.toUnsignedString(unknown));
        }
        out.add("For a more detailed explanation of the various taint flags see");
        out.add(" Documentation/admin-guide/tainted-kernels.rst in the Linux kernel sources");
        out.add(" or https://kernel.org/doc/html/latest/admin-guide/tainted-kernels.html");
        out.add("Raw taint value as int/string: " + Long.toUnsignedString(mask) + "/'" + letters(mask, release) + "'");
        return out;
    }
}
