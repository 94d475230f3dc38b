package org.kmodel.shell.internal.kernel;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.shell.internal.Columns;

/**
 * Renders the taint table (Documentation/admin-guide/tainted-kernels.rst, "Table for decoding tainted state")
 * with the state of each flag of the running release.
 */
public final class TaintTable {
    private TaintTable() {}

    /** The same table as data: the mask, the Tainted: string and every flag of the release with its state. */
    public static String json(KernelRelease release, long mask, String tainted) {
        java.util.List<java.util.Map<String, Object>> flags = new java.util.ArrayList<>();
        for (TaintFlag f : TaintFlag.table(release)) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("bit", f.bit());
            m.put("letter", String.valueOf(f.letter()));
            m.put("mask", f.mask());
            m.put("name", f.kernelName());
            m.put("set", (mask & f.mask()) != 0);
            m.put("since", f.since());
            m.put("reason", f.description());
            flags.add(m);
        }
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("release", release.unameRelease());
        doc.put("tainted", Long.toUnsignedString(mask));
        doc.put("string", tainted);
        doc.put("flags", flags);
        return org.kmodel.shell.internal.Json.of(doc);
    }

    public static String render(KernelRelease release, long mask, String tainted) {
        Columns c = new Columns(2).row("Bit", "Log", "Number", "Name", "State", "Since", "Reason");
        for (TaintFlag f : TaintFlag.table(release)) {
            boolean set = (mask & f.mask()) != 0;
            c.row(
                    f.bit(),
                    set ? String.valueOf(f.letter()) : (f.clearChar() == ' ' ? "-" : String.valueOf(f.clearChar())),
                    f.mask(),
                    f.kernelName(),
                    set ? "TAINTED" : "clear",
                    f.since(),
                    f.description());
        }
        return c + "/proc/sys/kernel/tainted = " + Long.toUnsignedString(mask) + " (" + release.unameRelease() + ", "
                + TaintFlag.count(release) + " flags)\n" + tainted;
    }
}
