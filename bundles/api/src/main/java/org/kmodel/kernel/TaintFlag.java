package org.kmodel.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's taint flags (include/linux/panic.h {@code TAINT_*}, kernel/panic.c {@code taint_flags[]}).
 * Each flag has its bit, the letter {@code print_tainted()} shows when it is set, the character shown when it
 * is clear ({@code G} for bit 0, a space otherwise), whether a module can carry it in {@code mod->taints}, and
 * the release it appeared in. A release profile knows only the flags that existed in it; its
 * {@code TAINT_FLAGS_COUNT} is {@link #count(KernelRelease)}: 13 in 3.14 (no E yet), 14 in 3.15, 20 in 6.18.
 */
public enum TaintFlag {
    PROPRIETARY_MODULE(0, 'P', 'G', true, "2.4", "proprietary module was loaded"),
    FORCED_MODULE(1, 'F', ' ', true, "2.4", "module was force loaded"),
    CPU_OUT_OF_SPEC(2, 'S', ' ', false, "2.4", "kernel running on an out of specification system"),
    FORCED_RMMOD(3, 'R', ' ', false, "2.6.16", "module was force unloaded"),
    MACHINE_CHECK(4, 'M', ' ', false, "2.6.16", "processor reported a Machine Check Exception (MCE)"),
    BAD_PAGE(5, 'B', ' ', false, "2.6.16", "bad page referenced or some unexpected page flags"),
    USER(6, 'U', ' ', false, "2.6.21", "taint requested by userspace application"),
    DIE(7, 'D', ' ', false, "2.6.23", "kernel died recently, i.e. there was an OOPS or BUG"),
    OVERRIDDEN_ACPI_TABLE(8, 'A', ' ', false, "2.6.25", "an ACPI table was overridden by user"),
    WARN(9, 'W', ' ', false, "2.6.26", "kernel issued warning"),
    CRAP(10, 'C', ' ', true, "2.6.28", "staging driver was loaded"),
    FIRMWARE_WORKAROUND(11, 'I', ' ', false, "2.6.35", "workaround for bug in platform firmware applied"),
    OOT_MODULE(12, 'O', ' ', true, "3.2", "externally-built ('out-of-tree') module was loaded"),
    UNSIGNED_MODULE(13, 'E', ' ', true, "3.15", "unsigned module was loaded"),
    SOFTLOCKUP(14, 'L', ' ', false, "3.17", "soft lockup occurred"),
    LIVEPATCH(15, 'K', ' ', true, "4.0", "kernel has been live patched"),
    AUX(16, 'X', ' ', true, "4.15", "auxiliary taint, defined for and used by distros"),
    RANDSTRUCT(17, 'T', ' ', true, "4.20", "kernel was built with the struct randomization plugin"),
    TEST(18, 'N', ' ', true, "6.0", "an in-kernel test (such as a KUnit test) has been run"),
    FWCTL(19, 'J', ' ', true, "6.15", "fwctl's mutating debug interface was used");

    private final int bit;
    private final char letter;
    private final char clear;
    private final boolean perModule;
    private final String since;
    private final int sinceMajor;
    private final int sinceMinor;
    private final String description;

    TaintFlag(int bit, char letter, char clear, boolean perModule, String since, String description) {
        this.bit = bit;
        this.letter = letter;
        this.clear = clear;
        this.perModule = perModule;
        this.since = since;
        String[] v = since.split("\\.");
        this.sinceMajor = Integer.parseInt(v[0]);
        this.sinceMinor = Integer.parseInt(v[1]);
        this.description = description;
    }

    /** The bit number ({@code TAINT_PROPRIETARY_MODULE} is 0). */
    public int bit() {
        return bit;
    }

    /** The value of the bit in {@code /proc/sys/kernel/tainted}: {@code 1L << bit()}. */
    public long mask() {
        return 1L << bit;
    }

    /** The letter {@code print_tainted()} shows when the flag is set. */
    public char letter() {
        return letter;
    }

    /** The character shown when the flag is clear: {@code G} for bit 0, a space for every other bit. */
    public char clearChar() {
        return clear;
    }

    /** Whether a module can carry this flag in its own taint mask ({@code taint_flag.module}). */
    public boolean perModule() {
        return perModule;
    }

    /**
     * The release the flag appeared in, e.g. "3.15" (LTP lib/tst_taint.c and the kernel history; the oldest
     * flags are dated to the first release known to have them: 2.4 or 2.6.16; RANDSTRUCT is approximate).
     */
    public String since() {
        return since;
    }

    /** What the flag means, in the words of tools/debugging/kernel-chktaint. */
    public String description() {
        return description;
    }

    /** The kernel's name without prefix, e.g. "UNSIGNED_MODULE" for {@code TAINT_UNSIGNED_MODULE}. */
    public String kernelName() {
        return "TAINT_" + name();
    }

    /** True if the flag exists in the given release (it appeared in it or earlier). */
    public boolean existsIn(KernelRelease release) {
        return release.atLeast(sinceMajor, sinceMinor);
    }

    /**
     * {@code TAINT_FLAGS_COUNT} of a release: the number of flags that exist in it. The bits are dense, so
     * these are exactly bits {@code 0 .. count-1}.
     */
    public static int count(KernelRelease release) {
        int n = 0;
        for (TaintFlag f : values()) {
            if (f.existsIn(release)) {
                n++;
            }
        }
        return n;
    }

    /** The flags of a release in bit order. */
    public static List<TaintFlag> table(KernelRelease release) {
        List<TaintFlag> list = new ArrayList<>();
        for (TaintFlag f : values()) {
            if (f.existsIn(release)) {
                list.add(f);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** The mask of all flags that exist in a release. */
    public static long validMask(KernelRelease release) {
        return (1L << count(release)) - 1;
    }

    /** The flag with this bit, or {@code null}. */
    public static TaintFlag ofBit(int bit) {
        for (TaintFlag f : values()) {
            if (f.bit == bit) {
                return f;
            }
        }
        return null;
    }

    /** The flag shown with this letter (case-sensitive, as the kernel prints it), or {@code null}. */
    public static TaintFlag ofLetter(char letter) {
        for (TaintFlag f : values()) {
            if (f.letter == letter) {
                return f;
            }
        }
        return null;
    }

    /** The flags set in a mask, in bit order; bits that name no flag are ignored. */
    public static Set<TaintFlag> decode(long mask) {
        Set<TaintFlag> set = EnumSet.noneOf(TaintFlag.class);
        for (TaintFlag f : values()) {
            if ((mask & f.mask()) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /** The mask of a set of flags. */
    public static long maskOf(Iterable<TaintFlag> flags) {
        long m = 0;
        for (TaintFlag f : flags) {
            m |= f.mask();
        }
        return m;
    }
}
