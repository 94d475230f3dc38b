package org.kmodel.module.internal;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Module code as OSGi bundles. The location {@value #LOCATION_PREFIX}{@code <name>} marks a bundle the
 * loader installed: a bundle installed any other way is not a module.
 */
final class BundleModuleCode implements ModuleCode {
    static final String LOCATION_PREFIX = "kmodule:";

    private final BundleContext ctx;

    BundleModuleCode(BundleContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public long install(String name, byte[] payload) {
        try {
            return ctx.installBundle(LOCATION_PREFIX + name, new ByteArrayInputStream(payload))
                    .getBundleId();
        } catch (BundleException e) {
            Errno errno = e.getType() == BundleException.DUPLICATE_BUNDLE_ERROR ? Errno.EEXIST : Errno.ENOEXEC;
            throw new KernelException(errno, name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KernelException(Errno.ENOEXEC, name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resolve(long id) {
        Bundle b = ctx.getBundle(id);
        FrameworkWiring fw = ctx.getBundle(0).adapt(FrameworkWiring.class);
        if (b == null || !fw.resolveBundles(List.of(b))) {
            throw new KernelException(Errno.ENOENT, "Unknown symbol in module (unresolved imports)");
        }
    }

    @Override
    public void start(long id) {
        Bundle b = ctx.getBundle(id);
        try {
            b.start(Bundle.START_TRANSIENT);
        } catch (BundleException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof KernelException k) {
                    throw new KernelException(k.errno(), "init failed", e);
                }
            }
            throw new KernelException(Errno.EINVAL, "init failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(long id) {
        Bundle b = ctx.getBundle(id);
        try {
            if (b != null) {
                b.stop(Bundle.STOP_TRANSIENT);
            }
        } catch (BundleException | RuntimeException e) {
            // exit() cannot fail in the kernel; the module goes away regardless.
        }
    }

    @Override
    public void uninstall(long id) {
        Bundle b = ctx.getBundle(id);
        try {
            if (b != null && b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
                ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b));
            }
        } catch (BundleException | RuntimeException e) {
            // already gone
        }
    }
}
