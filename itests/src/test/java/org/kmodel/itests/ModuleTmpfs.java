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
 * A filesystem type "modtmpfs" shipped in a kernel module that KernelTracepointsIT packs at test time: it
 * mounts the real tmpfs under another name, so that a mount takes a reference on the module
 * ({@code try_module_get(fs->owner)} in get_fs_type) and umount drops it (put_filesystem).
 */
public class ModuleTmpfs implements FileSystemType {
    @Override
    public String name() {
        return "modtmpfs";
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return tmpfs().capabilities(release);
    }

    @Override
    public SuperBlock mount(MountContext context) {
        return tmpfs().mount(context);
    }

    private FileSystemType tmpfs() {
        BundleContext ctx = FrameworkUtil.getBundle(ModuleTmpfs.class).getBundleContext();
        try {
            Collection<ServiceReference<FileSystemType>> refs =
                    ctx.getServiceReferences(FileSystemType.class, "(" + FileSystemType.TYPE + "=tmpfs)");
            for (ServiceReference<FileSystemType> r : refs) {
                return ctx.getService(r);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new KernelException(Errno.ENODEV, "no tmpfs");
    }
}
