package org.kmodel.kernel.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.ReleaseProfile;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The kernel command line (init/main.c {@code saved_command_line}, {@code parse_args} in kernel/params.c):
 * space-separated {@code key=value} words from {@value BootParams#PROPERTY}. Words may be double-quoted to
 * contain spaces, as the kernel's {@code next_arg} allows. It references the release profile only so that the
 * "Linux version" banner is the first line of dmesg, as in start_kernel().
 */
@Component(service = BootParams.class, immediate = true)
public class CommandLine implements BootParams {
    private final String cmdline;
    private final Map<String, String> params;

    @Activate
    public CommandLine(BundleContext context, @Reference KernelLog log, @Reference ReleaseProfile bannerFirst) {
        this(context.getProperty(PROPERTY));
        log.printk(KernelLog.Level.NOTICE, "Kernel command line: " + cmdline);
    }

    CommandLine(String property) {
        this.cmdline = property == null ? "" : property.trim();
        this.params = Collections.unmodifiableMap(parse(cmdline));
    }

    static Map<String, String> parse(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            while (i < n && (quoted || !Character.isWhitespace(line.charAt(i)))) {
                char c = line.charAt(i++);
                if (c == '"') {
                    quoted = !quoted;
                } else {
                    word.append(c);
                }
            }
            if (word.length() > 0) {
                int eq = word.indexOf("=");
                // kernel/params.c treats '-' and '_' in parameter names alike; keep the name as given.
                map.put(eq < 0 ? word.toString() : word.substring(0, eq), eq < 0 ? "" : word.substring(eq + 1));
            }
        }
        return map;
    }

    @Override
    public String cmdline() {
        return cmdline;
    }

    @Override
    public Map<String, String> all() {
        return params;
    }
}
