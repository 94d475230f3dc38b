package org.kmodel.vfs;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mode} bits of fallocate(2) (include/uapi/linux/falloc.h), with their Linux values.
 * {@code mode == 0} is plain allocation. KEEP_SIZE is the only flag that combines with another mode
 * (PUNCH_HOLE must have it; ZERO_RANGE, UNSHARE_RANGE and allocation may have it); every other mode
 * bit is exclusive. {@link #NO_HIDE_STALE} is a reserved code point that every kernel refuses.
 */
public final class FallocateMode {
    /** Plain allocation: allocate and, if the range ends past EOF, extend the size. */
    public static final int ALLOCATE = 0x00;

    public static final int KEEP_SIZE = 0x01;
    public static final int PUNCH_HOLE = 0x02;
    /** Reserved, never accepted (EOPNOTSUPP). */
    public static final int NO_HIDE_STALE = 0x04;
    /** Since 3.15. */
    public static final int COLLAPSE_RANGE = 0x08;
    /** Since 3.15. */
    public static final int ZERO_RANGE = 0x10;
    /** Since 4.1. */
    public static final int INSERT_RANGE = 0x20;
    /** Since 4.20. */
    public static final int UNSHARE_RANGE = 0x40;
    /** Since 6.17. */
    public static final int WRITE_ZEROES = 0x80;

    /**
     * The bits {@code vfs_fallocate} knows (FALLOC_FL_SUPPORTED_MASK of the newest modelled kernel);
     * anything else is EOPNOTSUPP.
     */
    public static final int SUPPORTED_MASK =
            KEEP_SIZE | PUNCH_HOLE | COLLAPSE_RANGE | ZERO_RANGE | INSERT_RANGE | UNSHARE_RANGE | WRITE_ZEROES;

    private FallocateMode() {}

    /** The mode without KEEP_SIZE: 0 (allocate) or a single mode bit for a well-formed mode. */
    public static int operation(int mode) {
        return mode & ~KEEP_SIZE;
    }

    public static boolean keepSize(int mode) {
        return (mode & KEEP_SIZE) != 0;
    }

    /** "PUNCH_HOLE|KEEP_SIZE", "ALLOCATE", "0x100" for unknown bits; for messages and traces. */
    public static String toString(int mode) {
        if (mode == 0) {
            return "ALLOCATE";
        }
        String[] names = {
            "KEEP_SIZE",
            "PUNCH_HOLE",
            "NO_HIDE_STALE",
            "COLLAPSE_RANGE",
            "ZERO_RANGE",
            "INSERT_RANGE",
            "UNSHARE_RANGE",
            "WRITE_ZEROES"
        };
        List<String> parts = new ArrayList<>();
        for (int bit = 0; bit < names.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                parts.add(names[bit]);
            }
        }
        int unknown = mode & ~0xff;
        if (unknown != 0) {
            parts.add("0x" + Integer.toHexString(unknown));
        }
        return String.join("|", parts);
    }
}
