package org.kmodel.shell.internal.session;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Puts every Gogo session inside the model: before each command line, the session's working directory
 * becomes the VFS task's working directory as a path of kmodel's {@code java.nio} file system. Gogo resolves
 * redirections ({@code >}, {@code >>}, {@code <}, {@code 2>}), globs and the POSIX commands' file arguments
 * against that directory, so {@code echo 3 > /proc/sys/vm/drop_caches} writes the model's file and can never
 * reach the host's. (Gogo builds a redirection target with {@code Paths.get(word)}, a host path object, and
 * resolves it against the working directory; kmodel's paths turn it into a model path.)
 *
 * <p>The file system is a mandatory reference: without it this listener, and with it the kernel shell, is not
 * there at all, rather than a shell whose {@code >} writes the host.
 */
@Component(immediate = true)
public class SessionSetup implements CommandSessionListener {
    private final FileSystem fs;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Activate
    public SessionSetup(@Reference(target = "(kmodel.fs=vfs)") FileSystem fs) {
        this.fs = fs;
    }

    /** The model path of the VFS task's working directory ({@code /} while no VFS runs). */
    public Path workingDirectory() {
        Vfs v = vfs;
        String cwd = "/";
        if (v != null) {
            try {
                cwd = v.getcwd();
            } catch (RuntimeException e) {
                cwd = "/";
            }
        }
        return fs.getPath(cwd);
    }

    /** Makes {@code session} resolve relative paths and redirections in the model. */
    public void setUp(CommandSession session) {
        session.currentDir(workingDirectory());
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        setUp(session);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        setUp(session);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        setUp(session);
    }
}
