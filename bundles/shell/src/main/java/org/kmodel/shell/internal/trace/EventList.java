package org.kmodel.shell.internal.trace;

import java.util.List;
import org.kmodel.shell.internal.Json;
import org.kmodel.shell.internal.ShellConverter;

/**
 * What {@code trace-cmd list -e [REGEX]} returns: the matching events as {@code system:event}, in the order
 * tracefs lists them. The shell's converter prints one a line (trace-cmd's layout) or a JSON array.
 */
public record EventList(List<String> events, boolean json) {
    /** One event a line, or {@code ["system:event", ...]} for {@code --json}. */
    public String render() {
        return json ? Json.of(events) : String.join("\n", events);
    }

    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return render();
    }
}
