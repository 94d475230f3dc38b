package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmodel.shell.internal.Json;
import org.kmodel.shell.internal.ShellConverter;
import org.kmodel.vfs.Stat;

/**
 * What {@code stat FILE...} returns (without {@code -c}/{@code --printf}, whose output is the user's format): each
 * file's {@link Stat} from the VFS, under the name it was asked by ({@code shown}: with {@code -> target} for a
 * symbolic link, as coreutils prints it). The shell's converter renders it with {@link Formats#stat} or as JSON.
 */
public record StatReport(List<Entry> files, boolean json) {
    /** One operand: the path given, the name to print and its status. */
    public record Entry(String file, String shown, Stat stat) {}

    /** coreutils stat's default layout, or {@code [{"file":..., "stat":...}]} for {@code --json}. */
    public String render() {
        if (json) {
            List<Map<String, Object>> data = new ArrayList<>();
            for (Entry e : files) {
                data.add(Map.of("file", e.file(), "stat", e.stat()));
            }
            return Json.of(data);
        }
        StringBuilder sb = new StringBuilder();
        for (Entry e : files) {
            sb.append(Formats.stat(e.shown(), e.stat()));
        }
        return Formats.strip(sb.toString());
    }

    /** The text the console prints (the same as {@link ShellConverter} gives). */
    @Override
    public String toString() {
        return render();
    }
}
