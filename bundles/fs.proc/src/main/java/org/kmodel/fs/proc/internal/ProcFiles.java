package org.kmodel.fs.proc.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.kernel.ProcFile;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The whiteboard of /proc and /sys files ({@code proc_create} and sysfs attribute registration): every
 * {@link ProcFile} service, under each path its {@value ProcFile#PATH} property names. Lookups see the set as it
 * is at the moment of the lookup, so a file appears and disappears with its service.
 */
@Component(service = ProcFiles.class)
public class ProcFiles {
    /** One registered path: its components ("*" is a wildcard) and the file. */
    record Entry(String path, List<String> components, ProcFile file, int ranking, long serviceId) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProcFile(ProcFile file, Map<String, Object> props) {
        for (String path : paths(props.get(ProcFile.PATH))) {
            add(path, file, ranking(props), id(props));
        }
    }

    void unbindProcFile(ProcFile file, Map<String, Object> props) {
        entries.removeIf(e -> e.file() == file);
    }

    /** Registration without OSGi (tests, and the built-in files). */
    void add(String path, ProcFile file, int ranking, long serviceId) {
        entries.add(new Entry(path, split(path), file, ranking, serviceId));
    }

    /** Entries sorted so the best (highest ranking, then oldest) match comes first. */
    List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId));
        return out;
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<String> paths(Object prop) {
        if (prop instanceof String s) {
            return List.of(s);
        }
        if (prop instanceof String[] a) {
            return List.of(a);
        }
        if (prop instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static int ranking(Map<String, Object> props) {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long id(Map<String, Object> props) {
        return props.get(Constants.SERVICE_ID) instanceof Long l ? l : 0L;
    }
}
