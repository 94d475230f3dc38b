package org.kmodel.kernel;

import java.util.Locale;

/**
 * The release profiles kmodel models. A profile selects behaviour where the kernel changed between
 * releases; components read the running one from the {@code ReleaseProfile} service.
 */
public enum KernelRelease {
    /**
     * 3.13: as 3.14 for mm and fallocate, and the module tracepoint bug as the LWN article of 5 March 2014
     * describes it: an unsigned module (tainted F) loses its tracepoints <em>silently</em>, its event files
     * still exist. The fix that logs the refusal (commit 45ab2813d40d) is first in v3.14-rc6.
     */
    V3_13(3, 13),
    /**
     * 3.14 as released: mm->mmap_cache, unsigned modules tainted F and refused tracepoints, but the refusal is
     * logged and no event files are created (commit 45ab2813d40d, "tracing: Do not add event files for modules
     * that fail tracepoints", merged for v3.14-rc6).
     */
    V3_14(3, 14),
    /** 3.15: per-thread vmacache, taint E, COLLAPSE_RANGE and ZERO_RANGE. The default. */
    V3_15(3, 15),
    /** 6.18: the kernel of the machines kmodel is tested on, for comparisons. */
    V6_18(6, 18);

    public static final KernelRelease DEFAULT = V3_15;

    private final int major;
    private final int minor;

    KernelRelease(int major, int minor) {
        this.major = major;
        this.minor = minor;
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    /** "3.15". */
    public String version() {
        return major + "." + minor;
    }

    /** What {@code uname -r} prints: "3.15.0-kmodel". */
    public String unameRelease() {
        return major + "." + minor + ".0-kmodel";
    }

    /** True if this release is {@code major.minor} or later (for rules such as "INSERT_RANGE since 4.1"). */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** "3.13, 3.14, 3.15, 6.18": the releases a user may name. */
    public static String known() {
        StringBuilder sb = new StringBuilder();
        for (KernelRelease r : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.version());
        }
        return sb.toString();
    }

    /** Parses "3.15", "3.15.0", "3.15.0-kmodel" or "V3_15"; throws EINVAL for anything else. */
    public static KernelRelease parse(String text) {
        if (text != null) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            for (KernelRelease r : values()) {
                if (t.equals(r.name())
                        || t.equals(r.version())
                        || t.startsWith(r.version() + ".")
                        || t.startsWith(r.version() + "-")) {
                    return r;
                }
            }
        }
        throw new KernelException(Errno.EINVAL, "unknown release '" + text + "' (known: " + known() + ")");
    }
}
