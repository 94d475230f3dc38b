package org.kmodel.kernel.internal;

import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The release profile (include/generated/utsrelease.h, init/version.c {@code linux_banner}). Chosen once at
 * boot from {@value ReleaseProfile#PROPERTY}; an unknown value falls back to the default with an error in the
 * log, so the kernel still boots (the launcher rejects bad values before that).
 */
@Component(service = ReleaseProfile.class, immediate = true)
public class Release implements ReleaseProfile {
    static final String UNAME_VERSION = "#1 SMP kmodel";

    private final KernelRelease release;

    @Activate
    public Release(BundleContext context, @Reference KernelLog log) {
        this(context.getProperty(PROPERTY), log);
    }

    Release(String property, KernelLog log) {
        KernelRelease r = KernelRelease.DEFAULT;
        if (property != null && !property.isBlank()) {
            try {
                r = KernelRelease.parse(property);
            } catch (KernelException e) {
                log.err("kmodel: " + e.getMessage() + ", booting " + r.version());
            }
        }
        this.release = r;
        log.printk(KernelLog.Level.NOTICE, procVersion());
    }

    @Override
    public KernelRelease release() {
        return release;
    }

    @Override
    public String unameVersion() {
        return UNAME_VERSION;
    }

    @Override
    public String procVersion() {
        return "Linux version " + release.unameRelease() + " (kmodel@kmodel) (Java "
                + System.getProperty("java.version") + ") " + UNAME_VERSION;
    }
}
