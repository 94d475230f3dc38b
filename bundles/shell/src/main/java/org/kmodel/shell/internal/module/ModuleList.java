package org.kmodel.shell.internal.module;

import java.util.List;
import org.kmodel.module.ModuleEntry;
import org.kmodel.shell.internal.ShellConverter;

/**
 * What {@code lsmod} returns: the loader's module records, and how the shell's converter shows them
 * ({@code taints}: {@code -t}'s letters; {@code json}: {@code --json}).
 */
public record ModuleList(List<ModuleEntry> modules, boolean taints, boolean json) {
    public ModuleList {
        modules = List.copyOf(modules);
    }

    /** The text the console prints (the same as {@link ShellConverter} gives), for scripts that stringify it. */
    @Override
    public String toString() {
        return ShellConverter.text(this);
    }
}
