package org.kmodel.itests;

import java.util.Collection;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * A "replacement tmpfs" for VfsIT, packed into a bundle at test time with service.ranking 100: it delegates
 * to the lower-ranked original and marks its mounts with the option "patched", so the test can tell which
 * implementation made a mount.
 */
public class PatchedTmpfs implements FileSystemType {
    @Override
    public String name() {
        return "tmpfs";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return original().capabilities(release);
    }

    @Override
    public SuperBlock mount(MountContext context) {
        return new PatchedSuperBlock(original().mount(context));
    }

    private FileSystemType original() {
        BundleContext ctx = FrameworkUtil.getBundle(PatchedTmpfs.class).getBundleContext();
        try {
            Collection<ServiceReference<FileSystemType>> refs =
                    ctx.getServiceReferences(FileSystemType.class, "(" + FileSystemType.TYPE + "=tmpfs)");
            for (ServiceReference<FileSystemType> r : refs) {
                FileSystemType t = ctx.getService(r);
                if (!(t instanceof PatchedTmpfs)) {
                    return t;
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new KernelException(Errno.ENODEV, "no original tmpfs");
    }
}
