package org.kmodel.module;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The module loader (kernel/module/main.c {@code load_module}, {@code delete_module}): the only way a
 * bundle becomes a kernel module. Every method fails with a {@code KernelException} carrying the errno
 * the kernel would return, and a failed call changes nothing except taint the kernel would also keep.
 */
@ProviderType
public interface ModuleLoader {
    /**
     * {@code init_module(2)}: checks the appended signature, strips it, then checks the module's
     * .modinfo (vermagic, license, intree, staging), its symbols, and runs it to LIVE.
     *
     * @param image  the module file: a bundle jar, optionally followed by the kernel's signature trailer
     * @param name   a name for messages when the module cannot be parsed (the file name), may be null
     * @param force  {@code insmod -f}: ignore vermagic (taints F; on 4.7+ also skips the signature check)
     * @param params {@code param=value} words, as insmod passes them
     */
    KernelModule insmod(byte[] image, String name, boolean force, List<String> params);

    /** {@code finit_module(2)} of a file. */
    KernelModule insmod(Path file, boolean force, List<String> params);

    /**
     * {@code modprobe NAME}: loads the named module from the module directory, its dependencies first;
     * a module already loaded counts as success.
     */
    List<KernelModule> modprobe(String name, List<String> params);

    /** {@code delete_module(2)}; {@code force} is {@code O_TRUNC} ({@code rmmod -f}). */
    void rmmod(String name, boolean force);

    /** Loaded modules (COMING, LIVE, GOING) in /proc/modules order: the newest first. */
    List<ModuleEntry> modules();

    /** The module {@code name} if it is loaded and not UNFORMED, else {@code null} ({@code find_module}). */
    KernelModule find(String name);

    /** {@code modinfo NAME}: a loaded module or one found in the module directory. */
    ModInfo modinfo(String name);

    /** {@code modinfo FILE}: parses a module file without loading it. */
    ModInfo modinfo(byte[] image, String filename);

    /** {@code try_module_get}: false if the module is not LIVE. */
    boolean moduleGet(String name);

    /** {@code module_put}. */
    void modulePut(String name);

    /**
     * {@code try_module_get} from the kernel function {@code callSite} (what the {@code module:module_get}
     * event prints as {@code call_site=}, e.g. {@code get_fs_type} for a mount). Additive; the default
     * ignores the call site.
     */
    default boolean moduleGet(String name, String callSite) {
        return moduleGet(name);
    }

    /** {@code module_put} from {@code callSite} (e.g. {@code put_filesystem} at umount). */
    default void modulePut(String name, String callSite) {
        modulePut(name);
    }
}
