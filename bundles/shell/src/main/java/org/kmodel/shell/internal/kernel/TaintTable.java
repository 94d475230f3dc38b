package org.kmodel.shell.internal.kernel;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.shell.internal.Columns;

/**
 * Renders the taint table (Documentation/admin-guide/tainted-kernels.rst, "Table for decoding tainted state")
 * with the state of each flag of the running release.
 */
final class TaintTable {
    private TaintTable() {
    }

    static String render(KernelRelease release, long mask, String tainted) {
        Columns c = new Columns(2).row("Bit", "Log", "Number", "Name", "State", "Since", "Reason");
        for (TaintFlag f : TaintFlag.table(release)) {
            boolean set = (mask & f.mask()) != 0;
            c.row(f.bit(), set ? String.valueOf(f.letter()) : (f.clearChar() == ' ' ? "-" : String.valueOf(f.clearChar())),
                    f.mask(), f.kernelName(), set ? "TAINTED" : "clear", f.since(), f.description());
        }
        return c + "/proc/sys/kernel/tainted = " + Long.toUnsignedString(mask) + " (" + release.unameRelease() + ", "
                + TaintFlag.count(release) + " flags)\n" + tainted;
    }
}
