package org.kmodel.kernel;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernel command line (init/main.c, kernel/params.c): {@code key=value} words given at boot with
 * {@code ./kmodel -D key=value} (framework/system property {@value #PROPERTY}), shown in {@code /proc/cmdline}.
 * Module parameters use the kernel's {@code module.param} form, e.g. {@code module.sig_enforce=1}.
 */
@ProviderType
public interface BootParams {
    /** The boot property holding the command line words, separated by spaces. */
    String PROPERTY = "kmodel.cmdline";

    /** The command line as {@code /proc/cmdline} shows it (without the newline). */
    String cmdline();

    /** All parameters in command-line order; a bare word has the value "". */
    Map<String, String> all();

    /** The value of a parameter or {@code def} if it was not given. */
    default String get(String key, String def) {
        String v = all().get(key);
        return v == null ? def : v;
    }

    /** A boolean parameter the way the kernel's {@code param_set_bool} reads it: 1/y/Y/on and 0/n/N/off. */
    default boolean getBoolean(String key, boolean def) {
        String v = all().get(key);
        if (v == null) {
            return def;
        }
        switch (v) {
            case "":
            case "1":
            case "y":
            case "Y":
            case "on":
                return true;
            case "0":
            case "n":
            case "N":
            case "off":
                return false;
            default:
                throw new KernelException(Errno.EINVAL, key + "=" + v);
        }
    }
}
