package org.kmodel.kernel.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.Sysctl;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Plain-value sysctls ({@code proc_dostring} / {@code proc_dointvec} entries of kernel/sysctl.c) kept in
 * ConfigAdmin under {@value Sysctl#PID}. Every property whose name has a dot is a key, so a feature can add one
 * in its {@code configurations}. Precedence: defaults, then configuration, then boot parameters
 * {@code sysctl.KEY=VALUE} (as kernels since 5.8 accept). A write goes to memory first, then to ConfigAdmin.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = Sysctl.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SysctlTable.Config.class)
public class SysctlTable {
    @ObjectClassDefinition(name = "kmodel sysctl values", description = "Plain kernel parameters")
    public @interface Config {
        @AttributeDefinition(description = "kernel.hostname (uname -n)")
        String kernel_hostname() default "kmodel";

        @AttributeDefinition(description = "kernel.domainname")
        String kernel_domainname() default "(none)";

        @AttributeDefinition(description = "kernel.printk: console, default message, minimum and default console level")
        String kernel_printk() default "4\t4\t1\t7";

        @AttributeDefinition(description = "kernel.panic: seconds before reboot on panic")
        String kernel_panic() default "0";
    }

    /** Longest hostname ({@code __NEW_UTS_LEN}). */
    static final int NEW_UTS_LEN = 64;

    private final BundleContext context;
    private final BootParams boot;
    private final KernelLog log;
    private final Map<String, String> values = new TreeMap<>();
    private ProcEntries entries;
    private boolean booted;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public SysctlTable(
            BundleContext context,
            @Reference BootParams boot,
            @Reference KernelLog log,
            Config config,
            Map<String, Object> props) {
        this.context = context;
        this.boot = boot;
        this.log = log;
        load(config, props);
    }

    /** The typed attributes: their defaults apply when there is no configuration at all. */
    private static Map<String, String> defaults(Config c) {
        Map<String, String> m = new TreeMap<>();
        m.put("kernel.hostname", c.kernel_hostname());
        m.put("kernel.domainname", c.kernel_domainname());
        m.put("kernel.printk", c.kernel_printk());
        m.put("kernel.panic", c.kernel_panic());
        return m;
    }

    @Modified
    synchronized void load(Config config, Map<String, Object> props) {
        Map<String, String> fresh = defaults(config);
        for (Map.Entry<String, Object> e : props.entrySet()) {
            if (isKey(e.getKey())) {
                fresh.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        // The command line applies once, at boot: after that, sysctl -w (persisted to ConfigAdmin, which calls
        // back here) must not be overridden by it again.
        if (!booted) {
            for (Map.Entry<String, String> e : boot.all().entrySet()) {
                if (e.getKey().startsWith("sysctl.")) {
                    fresh.put(e.getKey().substring("sysctl.".length()), e.getValue());
                }
            }
            booted = true;
        }
        boolean sameKeys = fresh.keySet().equals(values.keySet());
        values.clear();
        values.putAll(fresh);
        if (entries == null || !sameKeys) {
            if (entries != null) {
                entries.close();
            }
            entries = new ProcEntries(context);
            for (String key : fresh.keySet()) {
                entries.readWrite(Sysctl.path(key), () -> get(key), v -> set(key, v));
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (entries != null) {
            entries.close();
        }
    }

    private static boolean isKey(String name) {
        return name.indexOf('.') > 0
                && !name.startsWith("service.")
                && !name.startsWith("component.")
                && !name.startsWith("felix.")
                && !name.startsWith("osgi.");
    }

    synchronized String get(String key) {
        return values.get(key);
    }

    synchronized void set(String key, String value) {
        String v = value.strip();
        if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
            if (v.length() > NEW_UTS_LEN) {
                throw new KernelException(Errno.EINVAL, key);
            }
        }
        values.put(key, v);
        persist();
    }

    /** Best effort: the value is already live; ConfigAdmin keeps it for @Modified and for restarts. */
    private void persist() {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            return;
        }
        try {
            Configuration c = ca.getConfiguration(Sysctl.PID, "?");
            Dictionary<String, Object> d = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            for (Map.Entry<String, String> e : values.entrySet()) {
                d.put(e.getKey(), e.getValue());
            }
            c.update(d);
        } catch (IOException | RuntimeException e) {
            log.warn("sysctl: could not store configuration: " + e.getMessage());
        }
    }
}
