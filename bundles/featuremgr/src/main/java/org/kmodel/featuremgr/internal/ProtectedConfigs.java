package org.kmodel.featuremgr.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Says so when someone configures the module policy through ConfigAdmin (a {@code .cfg} dropped into
 * {@code load/}, most likely). The module loader and the system keyring read their switches only from boot
 * properties and ignore ConfigAdmin (configuration policy IGNORE), so such a configuration changes nothing;
 * this listener only tells the user, with one line on the console:
 * {@code kmodel: load: org.kmodel.module.loader: the module policy is fixed at boot (-D kmodel.module.*), configuration ignored: Operation not permitted}.
 */
final class ProtectedConfigs implements ConfigurationListener {
    static final String PREFIX = "org.kmodel.module.";
    private static final PrintStream ERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    static boolean isProtected(String pid) {
        return pid != null && pid.startsWith(PREFIX);
    }

    static String line(String pid) {
        return "kmodel: load: " + pid + ": the module policy is fixed at boot (-D kmodel.module.*), "
                + "configuration ignored: Operation not permitted";
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getFactoryPid() != null ? event.getFactoryPid() : event.getPid();
        if (event.getType() == ConfigurationEvent.CM_UPDATED && isProtected(pid)) {
            ERR.println(line(pid));
        }
    }
}
