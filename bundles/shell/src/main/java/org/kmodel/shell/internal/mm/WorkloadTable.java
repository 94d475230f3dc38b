package org.kmodel.shell.internal.mm;

import java.util.List;
import org.kmodel.mm.WorkloadResult;
import org.kmodel.shell.internal.ShellConverter;

/**
 * What {@code mm:table} returns: one {@link WorkloadResult} per design and workload. The shell's converter renders
 * it with {@link TableFormat} (the table with each published figure's source, or JSON for {@code --json}).
 */
public record WorkloadTable(List<WorkloadResult> rows, boolean json) {
    /** The table, or its JSON form. */
    public String render() {
        return json ? TableFormat.json(rows) : TableFormat.text(rows);
    }

    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return render();
    }
}
