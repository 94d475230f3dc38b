package org.kmodel.livepatch.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.ProcFile;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KernelTasks;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.livepatch.ShadowVariables;
import org.kmodel.mm.MmService;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleState;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The live patching subsystem as a DS component: installs the ftrace side of {@link KernelFunction}, runs
 * the tasks, and provides {@link LivePatching} with the engine the release profile calls for (kpatch before
 * 4.0, livepatch from 4.0; {@code engine} configures another). Its /proc and /sys files are registered here.
 */
@Component(
        service = {
            LivePatching.class,
            KernelTasks.class,
            ModuleNotifier.class,
            org.kmodel.livepatch.FunctionTracing.class
        },
        immediate = true,
        configurationPid = "org.kmodel.livepatch")
@Designate(ocd = LivePatchComponent.Config.class)
public class LivePatchComponent
        implements LivePatching,
                KernelTasks,
                ModuleNotifier,
                org.kmodel.livepatch.FunctionTracing,
                org.kmodel.livepatch.internal.shell.LivePatchCommands.PauseSource {
    @ObjectClassDefinition(name = "kmodel live patching")
    public @interface Config {
        @AttributeDefinition(
                description = "Consistency model: livepatch, kpatch or kgraft; empty = by release (kpatch before 4.0)")
        String engine() default "";

        @AttributeDefinition(description = "Period of the transition work in ms (the kernel's 1 s)")
        long retry_ms() default 1000;

        @AttributeDefinition(description = "Passes before stragglers get a fake signal (SIGNALS_TIMEOUT)")
        int signals_timeout() default 15;

        @AttributeDefinition(description = "kpatch: stop_machine attempts after the first before EBUSY")
        int kpatch_retries() default 5;
    }

    private final Ftrace ftrace = new Ftrace();
    private final TaskTable tasks = new TaskTable(ftrace);
    private final KlpCore core;
    private final String defaultEngine;
    private final List<ServiceRegistration<?>> files = new ArrayList<>();
    private final LoaderModules modules;
    private final FunctionTracingImpl functionTracing;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModuleLoader loader;

    @Activate
    public LivePatchComponent(
            BundleContext ctx,
            Config config,
            @Reference KernelLog log,
            @Reference ReleaseProfile profile,
            @Reference org.kmodel.kernel.Taint taint) {
        core = new KlpCore(ftrace, log, Kallsyms.VMLINUX);
        core.release = profile.release();
        core.taint = taint;
        core.retryMillis = config.retry_ms();
        core.signalsTimeout = Math.max(1, config.signals_timeout());
        core.kpatchRetries = Math.max(0, config.kpatch_retries());
        modules = new LoaderModules(() -> loader);
        core.modules = modules;
        defaultEngine = config.engine().isEmpty()
                ? (profile.release().atLeast(4, 0) ? "livepatch" : "kpatch")
                : config.engine();
        core.changed = tasks::kickIdle;
        functionTracing = new FunctionTracingImpl(ftrace, profile.release(), Kallsyms.VMLINUX);
        KernelFunction.ftrace(ftrace);
        tasks.startIdle();
        LivePatchFiles.register(ctx, core, tasks, profile.release(), files);
    }

    @Override
    public List<String> availableFilterFunctions() {
        return functionTracing.availableFilterFunctions();
    }

    @Override
    public void trace(Callback callback, java.util.Set<String> functions) {
        functionTracing.trace(callback, functions);
    }

    @Deactivate
    void deactivate() {
        functionTracing.trace(null, null);
        files.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone
            }
        });
        tasks.stopAll();
        core.close();
        ftrace.detach();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Engine e) {
        synchronized (core) {
            core.addEngine(e);
            if (e.name().equals(defaultEngine) && core.patches.isEmpty()) {
                core.selectEngine(e.name());
            }
        }
    }

    void unbindEngine(Engine e) {
        synchronized (core) {
            core.removeEngine(e);
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMm(MmService mm) {
        tasks.mm = mm;
    }

    void unbindMm(MmService mm) {
        if (tasks.mm == mm) {
            tasks.mm = null;
        }
    }

    Ftrace ftrace() {
        return ftrace;
    }

    KlpCore core() {
        return core;
    }

    // ---- ModuleNotifier: klp_module_coming / klp_module_going --------------------------------------------

    @Override
    public void moduleStateChanged(KernelModule module, ModuleState state) {
        if (state == ModuleState.COMING) {
            core.moduleComing(module.name());
        } else if (state == ModuleState.LIVE) {
            modules.live(module.name());
        } else if (state == ModuleState.GOING) {
            core.moduleGoing(module.name());
        }
    }

    // ---- LivePatching ---------------------------------------------------------------------------------

    @Override
    public void enablePatch(KlpPatch patch) {
        core.enablePatch(patch);
    }

    @Override
    public String engine() {
        return core.engine();
    }

    @Override
    public void selectEngine(String name) {
        core.selectEngine(name);
    }

    @Override
    public List<PatchInfo> patches() {
        return core.patches();
    }

    @Override
    public void setEnabled(String patch, boolean enabled) {
        core.setEnabled(patch, enabled);
    }

    @Override
    public void force(String patch) {
        core.force(patch);
    }

    @Override
    public boolean inTransition() {
        return core.inTransition();
    }

    @Override
    public ShadowVariables shadow() {
        return core.shadow();
    }

    @Override
    public long pauseNanos(String patch) {
        PatchImpl p = core.find(patch);
        return p == null ? 0 : p.pauseNanos;
    }

    // ---- KernelTasks ------------------------------------------------------------------------------------

    @Override
    public KTask spawn(String comm, java.util.function.Consumer<KTask> program) {
        return tasks.spawn(comm, program);
    }

    @Override
    public KTask kthread(String comm, Runnable body) {
        return tasks.kthread(comm, body);
    }

    @Override
    public KTask task(int pid) {
        return tasks.task(pid);
    }

    @Override
    public List<KTask> tasks() {
        return tasks.tasks();
    }

    @Override
    public KTask current() {
        return tasks.current();
    }

    static Dictionary<String, Object> path(String path) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(ProcFile.PATH, path);
        return d;
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
