package org.kmodel.livepatch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A patchable kernel function: the model's {@code fentry} nop that ftrace turns into a call
 * (arch/x86/kernel/ftrace.c, kernel/trace/ftrace.c {@code ftrace_set_filter_ip}). The subsystem that owns
 * the function keeps its site in a {@code static final} field and calls through {@link #invoker()}:
 *
 * <pre>{@code
 * static final KernelFunction VFS_FALLOCATE = KernelFunction.define("vmlinux", "vfs_fallocate",
 *         lookup().findStatic(VfsFallocate.class, "vfsFallocate", type));
 * private static final MethodHandle VFS_FALLOCATE_CALL = VFS_FALLOCATE.invoker();
 * ... VFS_FALLOCATE_CALL.invokeExact(core, inode, flags, mode, offset, len);
 * }</pre>
 *
 * <p>The invoker is a {@link MutableCallSite}'s dynamic invoker. Unpatched, its target is the original
 * method itself, so C2 inlines a direct call (the "JIT-foldable switch" family the tracepoints use). The
 * livepatch bundle retargets it: to a dispatcher while something needs every entry seen (a transition,
 * a parked task, the function tracer), and to the replacement function once every task runs the new code.
 * Retargeting deoptimises the code that inlined the old target, as the kernel rewrites its fentry call.
 *
 * <p>The site's {@link #type()} is the original's type with every reference type erased to {@code Object}:
 * a replacement in a patch module cannot name the owner's internal classes, just as a livepatch reaches
 * unexported kernel symbols only through relocations. Several sites may exist for one name (a library
 * embedded in two bundles, a bundle refreshed): all are retargeted together.
 */
public final class KernelFunction {
    /** The object name of functions in the kernel proper (klp_object with a NULL name). */
    public static final String VMLINUX = "vmlinux";

    /** The ftrace side: told about every site as it is defined (klp_module_coming's view of new code). */
    public interface Ftrace {
        /** Called once per new site, before {@link #define} returns; may set its target. */
        void defined(KernelFunction site);
    }

    private static final Map<String, List<KernelFunction>> SITES = new ConcurrentHashMap<>();
    private static volatile Ftrace ftrace;

    private final String object;
    private final String name;
    private final MethodHandle original;
    private final MutableCallSite site;
    private final MethodHandle invoker;

    private KernelFunction(String object, String name, MethodHandle original) {
        this.object = object;
        this.name = name;
        this.original = original.asType(original.type().erase());
        this.site = new MutableCallSite(this.original);
        this.invoker = site.dynamicInvoker().asType(original.type());
    }

    /**
     * Declares the patchable function {@code name} of {@code object} ({@link #VMLINUX} or a module name),
     * implemented by {@code original}.
     */
    public static KernelFunction define(String object, String name, MethodHandle original) {
        KernelFunction f = new KernelFunction(
                Objects.requireNonNull(object), Objects.requireNonNull(name), Objects.requireNonNull(original));
        synchronized (KernelFunction.class) {
            SITES.computeIfAbsent(key(object, name), k -> new CopyOnWriteArrayList<>())
                    .add(f);
            Ftrace t = ftrace;
            if (t != null) {
                t.defined(f);
            }
        }
        return f;
    }

    /** Installs the ftrace side (one per kernel); it is then told about every site defined so far. */
    public static synchronized void ftrace(Ftrace t) {
        ftrace = t;
        if (t != null) {
            for (List<KernelFunction> l : SITES.values()) {
                l.forEach(t::defined);
            }
        }
    }

    /** The sites defined for {@code object:name} (empty if none). */
    public static List<KernelFunction> sites(String object, String name) {
        return List.copyOf(SITES.getOrDefault(key(object, name), List.of()));
    }

    /** Every site, in no particular order. */
    public static List<KernelFunction> all() {
        List<KernelFunction> out = new ArrayList<>();
        SITES.values().forEach(out::addAll);
        return out;
    }

    private static String key(String object, String name) {
        return object + ":" + name;
    }

    /** What the call site invokes with {@code invokeExact}, in the original's exact type. */
    public MethodHandle invoker() {
        return invoker;
    }

    public String object() {
        return object;
    }

    public String name() {
        return name;
    }

    /** The erased type every target and every replacement of this function has. */
    public MethodType type() {
        return original.type();
    }

    /** The original code, in the erased {@link #type()}. */
    public MethodHandle original() {
        return original;
    }

    /** The current target. */
    public MethodHandle target() {
        return site.getTarget();
    }

    /**
     * Retargets the site (for the livepatch bundle only) and makes every thread see it before returning
     * ({@link MutableCallSite#syncAll}): after this no thread starts the old target.
     */
    public void retarget(MethodHandle target) {
        if (site.getTarget() == target) {
            return;
        }
        site.setTarget(target.asType(original.type()));
        MutableCallSite.syncAll(new MutableCallSite[] {site});
    }

    /**
     * For call sites: {@code invokeExact} declares Throwable; kernel functions only throw unchecked
     * exceptions (KernelException), which pass through unchanged.
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    @Override
    public String toString() {
        return VMLINUX.equals(object) ? name : name + " [" + object + "]";
    }
}
