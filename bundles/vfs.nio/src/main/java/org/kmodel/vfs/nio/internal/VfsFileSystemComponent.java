package org.kmodel.vfs.nio.internal;

import java.nio.file.FileSystem;
import java.nio.file.spi.FileSystemProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.kmodel.vfs.Vfs;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers kmodel's namespace as the OSGi services {@code java.nio.file.FileSystem} and
 * {@code java.nio.file.spi.FileSystemProvider} (property {@code kmodel.fs=vfs}). The VFS reference is optional
 * and dynamic: the file system stays registered while the VFS is swapped or absent (calls then fail with
 * ENODEV), so a shell session never falls back to the host's file system.
 */
@Component(immediate = true)
public class VfsFileSystemComponent {
    public static final String PROPERTY = "kmodel.fs";

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    private ServiceRegistration<?> fsRegistration;
    private ServiceRegistration<?> providerRegistration;

    @Activate
    void activate(BundleContext context) {
        VfsFileSystemProvider provider = new VfsFileSystemProvider(() -> vfs);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PROPERTY, "vfs");
        props.put("kmodel.fs.scheme", provider.getScheme());
        fsRegistration = context.registerService(FileSystem.class, provider.fileSystem(), props);
        providerRegistration = context.registerService(FileSystemProvider.class, provider, props);
    }

    @Deactivate
    void deactivate() {
        fsRegistration.unregister();
        providerRegistration.unregister();
    }
}
