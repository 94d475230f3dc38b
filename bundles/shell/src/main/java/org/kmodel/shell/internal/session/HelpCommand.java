package org.kmodel.shell.internal.session;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}: the kernel shell's commands grouped by subsystem (the Gogo scope: kernel, vfs, mm, module,
 * trace, feature, and the shell's POSIX commands), one line each; {@code help NAME} the command's description,
 * usage and parameters. Found through the service registry, so a hyphenated name ({@code trace-cmd},
 * {@code sign-file}) is found as well. Felix's own commands stay with {@code felix:help}.
 */
@Component(
        service = HelpCommand.class,
        property = {"osgi.command.scope=kernel", "osgi.command.function=help"})
public class HelpCommand {
    /** Subsystems in the order of the kernel's source tree; anything else after them. */
    static final List<String> ORDER =
            List.of("kernel", "vfs", "fs", "mm", "module", "trace", "feature", "shell", "posix");
    /** Gogo's and Felix's own scopes: not kernel commands. */
    static final List<String> FOREIGN = List.of("felix", "gogo", "scr", "obr", "cm");

    private final BundleContext context;

    @Activate
    public HelpCommand(BundleContext context) {
        this.context = context;
    }

    /** One registered command: its scope, its name and the object that runs it. */
    record Entry(String scope, String name, Object command) {}

    @Descriptor("list the kernel shell's commands by subsystem; help NAME describes one")
    public String help() {
        return byScope(entries());
    }

    @Descriptor("describe a command: what it does, its usage and parameters")
    public String help(@Descriptor("command name, e.g. trace-cmd or vfs:ls") String name) {
        String scope = name.contains(":") ? name.substring(0, name.indexOf(':')) : null;
        String fn = name.substring(name.indexOf(':') + 1);
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries()) {
            if (e.name().equals(fn) && (scope == null || scope.equals(e.scope()))) {
                sb.append(describe(e));
            }
        }
        if (sb.length() == 0) {
            throw new KernelException(Errno.ENOENT, "no help for '" + name + "' (see 'help' for the command list)");
        }
        return sb.toString().stripTrailing();
    }

    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, "(&(osgi.command.scope=*)(osgi.command.function=*))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            String scope = String.valueOf(ref.getProperty("osgi.command.scope"));
            if (FOREIGN.contains(scope)) {
                continue;
            }
            Object fns = ref.getProperty("osgi.command.function");
            List<String> names = fns instanceof String[] a ? Arrays.asList(a) : List.of(String.valueOf(fns));
            Object command = context.getService(ref);
            try {
                for (String n : names) {
                    out.add(new Entry(scope, n, command));
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    static String byScope(List<Entry> entries) {
        Map<String, Map<String, String>> groups = new TreeMap<>((a, b) -> {
            int ia = ORDER.indexOf(a) < 0 ? ORDER.size() : ORDER.indexOf(a);
            int ib = ORDER.indexOf(b) < 0 ? ORDER.size() : ORDER.indexOf(b);
            return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
        });
        for (Entry e : entries) {
            if (e.scope().equals("shell") && e.name().equals("drain")) {
                continue; // the runner's plumbing, not a command to type
            }
            String group = e.scope().equals("posix") ? "shell" : e.scope();
            groups.computeIfAbsent(group, g -> new TreeMap<>())
                    .merge(e.name(), summary(e), (a, b) -> a.isEmpty() ? b : a);
        }
        StringBuilder sb =
                new StringBuilder("Commands by subsystem ('help NAME' describes one; Felix's own: felix:help)\n");
        for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
            sb.append('\n').append(g.getKey()).append(":\n");
            for (Map.Entry<String, String> c : g.getValue().entrySet()) {
                sb.append(String.format("  %-12s %s%n", c.getKey(), c.getValue())
                                .stripTrailing())
                        .append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    /** The first description of a command: its method's {@link Descriptor}, or the first line of its USAGE. */
    static String summary(Entry e) {
        for (Method m : methods(e)) {
            Descriptor d = m.getAnnotation(Descriptor.class);
            if (d != null) {
                return d.value();
            }
        }
        String usage = usage(e.command());
        return usage == null ? "" : usage.lines().findFirst().orElse("");
    }

    static String describe(Entry e) {
        StringBuilder sb =
                new StringBuilder(e.scope()).append(':').append(e.name()).append('\n');
        for (Method m : methods(e)) {
            Descriptor d = m.getAnnotation(Descriptor.class);
            if (d != null) {
                sb.append("   ").append(d.value()).append('\n');
            }
            for (java.lang.reflect.Parameter p : m.getParameters()) {
                Descriptor pd = p.getAnnotation(Descriptor.class);
                if (pd != null) {
                    sb.append("      ").append(pd.value()).append('\n');
                }
            }
        }
        String usage = usage(e.command());
        if (usage != null) {
            sb.append(usage.strip().indent(3));
        }
        return sb.append('\n').toString();
    }

    private static List<Method> methods(Entry e) {
        return methods(e.command().getClass(), e.name());
    }

    /**
     * The methods Gogo calls for command {@code name} of {@code type}: the method of that name, or {@code _main}
     * for a name that cannot be a Java method (the shell's one convention for {@code trace-cmd}, {@code sign-file}).
     */
    static List<Method> methods(Class<?> type, String name) {
        String javaName = name.replace('-', '_');
        boolean usesMain = true;
        for (Method m : type.getMethods()) {
            usesMain &= !m.getName().equals(name) && !m.getName().equals(javaName);
        }
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String n = m.getName();
            if (n.equals(name) || n.equals(javaName) || (n.equals("_main") && usesMain)) {
                out.add(m);
            }
        }
        out.sort((a, b) -> Integer.compare(a.getParameterCount(), b.getParameterCount()));
        return out;
    }

    /** A command's {@code static String USAGE} (public or not), the usage text a real tool prints. */
    static String usage(Object command) {
        return usage(command.getClass());
    }

    /** The {@code static String USAGE} of a command class or its superclasses, or null. */
    static String usage(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("USAGE");
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    f.setAccessible(true);
                    return (String) f.get(null);
                }
            } catch (NoSuchFieldException | IllegalAccessException e) {
                // none in this class
            }
        }
        return null;
    }
}
