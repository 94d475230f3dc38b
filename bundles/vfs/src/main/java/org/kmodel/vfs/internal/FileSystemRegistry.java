package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.spi.FileSystemType;

/**
 * The list of registered filesystem types (fs/filesystems.c: {@code register_filesystem},
 * {@code get_fs_type}, {@code unregister_filesystem}). Several implementations may be registered under one
 * name (a hot-swapped replacement next to the original); new mounts use the highest ranking one. A mount holds
 * a reference on its name ({@code try_module_get(fs->owner)} in the kernel), and a referenced name cannot be
 * unregistered: EBUSY.
 */
final class FileSystemRegistry {
    private record Entry(FileSystemType type, int ranking, long serviceId) {}

    private final Map<String, List<Entry>> types = new TreeMap<>();
    private final Map<String, Integer> mountRefs = new HashMap<>();

    synchronized void register(FileSystemType type, int ranking, long serviceId) {
        List<Entry> list = types.computeIfAbsent(type.name(), n -> new ArrayList<>());
        list.add(new Entry(type, ranking, serviceId));
        // Highest ranking first; among equals the oldest (lowest service id), as OSGi orders services.
        list.sort(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId));
    }

    /**
     * Removes one implementation. Returns the number of mounts still using the name, so the caller can log that
     * the OSGi service left while mounted (OSGi cannot veto a bundle stop; the mounts keep their super blocks).
     */
    synchronized int unregister(FileSystemType type) {
        List<Entry> list = types.get(type.name());
        if (list != null) {
            list.removeIf(e -> e.type == type);
            if (list.isEmpty()) {
                types.remove(type.name());
            }
        }
        return mountRefs.getOrDefault(type.name(), 0);
    }

    /** {@code unregister_filesystem} as a module exit would call it: EBUSY while mounted. */
    synchronized void checkRemovable(String name) {
        if (!types.containsKey(name)) {
            throw new KernelException(Errno.ENOENT, name);
        }
        int refs = mountRefs.getOrDefault(name, 0);
        if (refs > 0) {
            throw new KernelException(Errno.EBUSY, name + " is mounted " + refs + " time(s)");
        }
    }

    /** Withdraws every implementation of {@code name} after {@link #checkRemovable}. */
    synchronized void withdraw(String name) {
        checkRemovable(name);
        types.remove(name);
    }

    /** {@code get_fs_type}: the current implementation, ENODEV if none is registered. */
    synchronized FileSystemType get(String name) {
        List<Entry> list = types.get(name);
        if (list == null || list.isEmpty()) {
            throw new KernelException(Errno.ENODEV, "unknown filesystem type '" + name + "'");
        }
        return list.get(0).type;
    }

    synchronized void ref(String name) {
        mountRefs.merge(name, 1, Integer::sum);
    }

    synchronized void unref(String name) {
        mountRefs.computeIfPresent(name, (n, c) -> c <= 1 ? null : c - 1);
    }

    synchronized int refs(String name) {
        return mountRefs.getOrDefault(name, 0);
    }

    /** /proc/filesystems lines. */
    synchronized List<String> list() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> e : types.entrySet()) {
            boolean dev = false;
            try {
                dev = e.getValue()
                        .get(0)
                        .type
                        .capabilities(org.kmodel.kernel.KernelRelease.DEFAULT)
                        .requiresDevice();
            } catch (RuntimeException ex) {
                // a broken type still gets listed
            }
            out.add((dev ? "" : "nodev") + "\t" + e.getKey());
        }
        return out;
    }
}
