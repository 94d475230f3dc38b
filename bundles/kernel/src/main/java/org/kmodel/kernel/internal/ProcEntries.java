package org.kmodel.kernel.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kmodel.kernel.ProcFile;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers a group of simple {@link ProcFile}s for one component and removes them together
 * ({@code proc_create} / {@code remove_proc_subtree}).
 */
final class ProcEntries {
    private final BundleContext context;
    private final List<ServiceRegistration<ProcFile>> registrations = new ArrayList<>();

    ProcEntries(BundleContext context) {
        this.context = context;
    }

    /** A read-only file whose content is the supplied text plus a newline. */
    ProcEntries readOnly(String path, Supplier<String> content) {
        return register(path, new ProcFile() {
            @Override
            public String read(String wildcard) {
                return content.get() + "\n";
            }
        });
    }

    /** A writable file; the writer gets the content with one trailing newline removed. */
    ProcEntries readWrite(String path, Supplier<String> content, Consumer<String> writer) {
        return register(path, new ProcFile() {
            @Override
            public String read(String wildcard) {
                return content.get() + "\n";
            }

            @Override
            public void write(String wildcard, String text) {
                writer.accept(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }

            @Override
            public boolean writable() {
                return true;
            }
        });
    }

    ProcEntries register(String path, ProcFile file) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ProcFile.PATH, path);
        registrations.add(context.registerService(ProcFile.class, file, props));
        return this;
    }

    void close() {
        for (ServiceRegistration<ProcFile> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping and removed it first
            }
        }
        registrations.clear();
    }
}
