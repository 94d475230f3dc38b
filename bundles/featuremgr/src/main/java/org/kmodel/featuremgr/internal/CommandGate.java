package org.kmodel.featuremgr.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The kernel shell offers no back door around the module loader: the framework's management commands
 * ({@code felix:install/start/stop/update/uninstall/refresh/resolve/bundlelevel/frameworklevel},
 * {@code scr:enable/disable}, every {@code cm:} command) would install or replace code, or switch components
 * and their configuration off and on, without the loader's checks. Their command services are hidden by service
 * hooks from the Gogo runtime only (the bundle whose command tracker turns services into commands; other
 * bundles still see them: Felix ConfigAdmin's {@code cm:} commands are the ConfigurationAdmin service itself,
 * which FileInstall and the feature manager need), and the read-only commands of the same services ({@code help}, {@code lb},
 * {@code headers}, {@code inspect}, {@code which}, {@code log}, {@code scr:list/info/config}) are registered
 * again, alone, under their old names. Gogo's own {@code osgi:addCommand}/{@code osgi:removeCommand} (which
 * could put a hidden command back) are removed from the command processor. Must be open before the Gogo
 * runtime starts (the distribution starts Gogo after the feature manager). {@code felix:cd} and {@code felix:ls}
 * go too: they change to and list the host's directories, and no kmodel command touches a host file the user
 * did not name on purpose ({@code cd} and {@code ls} are kmodel's own, on its VFS).
 */
final class CommandGate implements FindHook, EventListenerHook {
    static final Set<String> GATED_SCOPES = Set.of("felix", "scr", "cm");
    static final Set<String> READ_ONLY = Set.of(
            "felix:help",
            "felix:lb",
            "felix:headers",
            "felix:inspect",
            "felix:which",
            "felix:log",
            "scr:list",
            "scr:info",
            "scr:config");
    private static final String MARK = "kmodel.command.gate";
    static final String GOGO_RUNTIME = "org.apache.felix.gogo.runtime";

    private final BundleContext context;
    private final Map<ServiceReference<?>, ServiceRegistration<?>> again = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> hooks = new ArrayList<>();
    private ServiceTracker<Object, Object> commands;
    private ServiceTracker<Object, Object> processors;

    CommandGate(BundleContext context) {
        this.context = context;
    }

    void open() {
        hooks.add(context.registerService(
                new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, this, null));
        try {
            commands = new ServiceTracker<>(context, context.createFilter("(osgi.command.scope=*)"), null) {
                @Override
                public Object addingService(ServiceReference<Object> ref) {
                    if (gated(ref)) {
                        registerReadOnly(ref);
                    }
                    return ref;
                }

                @Override
                public void removedService(ServiceReference<Object> ref, Object service) {
                    ServiceRegistration<?> r = again.remove(ref);
                    if (r != null) {
                        try {
                            r.unregister();
                        } catch (IllegalStateException gone) {
                            // already gone
                        }
                        context.ungetService(ref);
                    }
                }
            };
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        commands.open(true);
        processors = new ServiceTracker<>(context, "org.apache.felix.service.command.CommandProcessor", null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                Object p = context.getService(ref);
                removeCommand(p, "osgi", "addCommand");
                removeCommand(p, "osgi", "removeCommand");
                return p;
            }
        };
        processors.open(true);
    }

    void close() {
        processors.close();
        commands.close();
        for (ServiceRegistration<?> r : hooks) {
            r.unregister();
        }
    }

    /** A command service of a gated scope, registered by someone else (not our read-only copy). */
    boolean gated(ServiceReference<?> ref) {
        Object scope = ref.getProperty("osgi.command.scope");
        return scope != null && GATED_SCOPES.contains(scope.toString()) && ref.getProperty(MARK) == null;
    }

    private void registerReadOnly(ServiceReference<Object> ref) {
        String scope = ref.getProperty("osgi.command.scope").toString();
        List<String> keep = new ArrayList<>();
        for (String f : functions(ref.getProperty("osgi.command.function"))) {
            if (READ_ONLY.contains(scope + ":" + f)) {
                keep.add(f);
            }
        }
        if (keep.isEmpty()) {
            return;
        }
        Object service = context.getService(ref);
        if (service == null) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", scope);
        props.put("osgi.command.function", keep.toArray(new String[0]));
        props.put(MARK, Boolean.TRUE);
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        if (ranking instanceof Integer) {
            props.put(Constants.SERVICE_RANKING, ranking);
        }
        again.put(ref, context.registerService(Object.class.getName(), service, props));
    }

    static List<String> functions(Object prop) {
        List<String> out = new ArrayList<>();
        if (prop instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (prop instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else if (prop != null) {
            out.add(prop.toString());
        }
        return out;
    }

    /** CommandProcessorImpl.removeCommand(scope, function), by reflection: it is not part of the service API. */
    private static void removeCommand(Object processor, String scope, String function) {
        if (processor == null) {
            return;
        }
        try {
            Method m = processor.getClass().getMethod("removeCommand", String.class, String.class);
            m.invoke(processor, scope, function);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another command processor: it has no such built-ins
        }
    }

    static boolean isGogoRuntime(BundleContext ctx) {
        return GOGO_RUNTIME.equals(ctx.getBundle().getSymbolicName());
    }

    @Override
    public void find(
            BundleContext ctx,
            String name,
            String filter,
            boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (isGogoRuntime(ctx)) {
            references.removeIf(this::gated);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (gated(event.getServiceReference())) {
            listeners.keySet().removeIf(CommandGate::isGogoRuntime);
        }
    }
}
