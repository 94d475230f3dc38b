package org.kmodel.shell.internal.kernel;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.shell.internal.ShellConverter;

/**
 * What {@code taint} returns: the running release, the taint mask and the {@code Tainted:} string
 * ({@code json}: {@code --json}). The shell's converter renders it with {@link TaintTable}.
 */
public record TaintReport(KernelRelease release, long mask, String tainted, boolean json) {
    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return ShellConverter.text(this);
    }
}
