package org.kmodel.shell.internal;

import org.apache.felix.service.command.Converter;
import org.kmodel.shell.internal.kernel.TaintReport;
import org.kmodel.shell.internal.kernel.TaintTable;
import org.kmodel.shell.internal.mm.WorkloadTable;
import org.kmodel.shell.internal.module.ModuleFormat;
import org.kmodel.shell.internal.module.ModuleList;
import org.kmodel.shell.internal.trace.EventList;
import org.kmodel.shell.internal.vfs.DfReport;
import org.kmodel.shell.internal.vfs.MountCommands;
import org.kmodel.shell.internal.vfs.MountList;
import org.kmodel.shell.internal.vfs.StatReport;
import org.osgi.service.component.annotations.Component;

/**
 * The one Gogo {@link Converter} of the kernel shell, as Felix SCR's {@code ComponentCommands} has one for its DTOs:
 * commands return records ({@link ModuleList}, {@link TaintReport}, {@link MountList}, {@link DfReport},
 * {@link StatReport}, {@link EventList}, {@link WorkloadTable}) and Gogo
 * asks this service for their text when a value reaches the console, a pipe or a redirected file
 * ({@code CommandSessionImpl.format}: between pipe elements {@code Pipe} prints {@code format(result, INSPECT)}; the
 * runner prints a line's last result the same way). Each type is rendered by its tool's formatter: text by default,
 * JSON ({@link Json}) when the command was given {@code --json}. Every level (INSPECT, LINE, PART) gives the same
 * text, so the bytes a user sees are the tool's format wherever the value is printed.
 */
@Component(service = Converter.class)
public class ShellConverter implements Converter {
    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null; // nothing to convert: the records are results, not arguments
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return text(target);
    }

    /** The text of a kernel shell result, or null for a value that is not one (Gogo then asks its other converters). */
    public static String text(Object target) {
        if (target instanceof ModuleList m) {
            return m.json() ? Json.of(m.modules()) : ModuleFormat.lsmod(m.modules(), m.taints());
        }
        if (target instanceof TaintReport t) {
            return t.json()
                    ? TaintTable.json(t.release(), t.mask(), t.tainted())
                    : TaintTable.render(t.release(), t.mask(), t.tainted());
        }
        if (target instanceof MountList m) {
            return MountCommands.mountText(m);
        }
        if (target instanceof DfReport d) {
            return MountCommands.dfText(d);
        }
        if (target instanceof StatReport s) {
            return s.render();
        }
        if (target instanceof EventList e) {
            return e.render();
        }
        if (target instanceof WorkloadTable t) {
            return t.render();
        }
        return null;
    }
}
