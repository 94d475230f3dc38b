package org.kmodel.shell.internal.session;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Process;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo's own POSIX commands ({@code echo}, {@code grep}, {@code head}, {@code tail}, {@code wc}, {@code sort},
 * ...; class {@code org.apache.felix.gogo.jline.Posix}) in every mode, not only on a terminal, under the scope
 * {@code posix}. They open files relative to the session's working directory, which {@link SessionSetup} keeps
 * in the model, so they read and write kmodel's files.
 *
 * <p>Posix reports a failure by printing {@code cmd: exception} and setting an exit code that Gogo 1.1 then
 * drops. This wrapper calls Posix's {@code run} itself: an exception becomes the command's failure (the runner
 * prints {@code cmd: PATH: strerror} from the errno it carries), and a non-zero exit code an {@link ExitStatus}.
 * Gogo's jline bundle is imported dynamically: without it these commands are simply absent.
 */
@Header(name = "DynamicImport-Package", value = "org.apache.felix.gogo.jline")
@Component(immediate = true)
public class PosixCommands {
    /**
     * The commands taken from Gogo: the ones whose output format is the real tool's. {@code echo}, {@code grep},
     * {@code head} and {@code tail} are kmodel's ({@code vfs.TextCommands}): Gogo's differ from bash's and GNU's
     * in what users type ({@code echo ---}, {@code head -2}, {@code grep -E}).
     */
    static final String[] FUNCTIONS = {"wc", "sort", "sleep", "date"};

    @Reference
    CommandProcessor processor;

    private ServiceRegistration<?> registration;

    @Activate
    void activate(BundleContext context) {
        Object posix;
        Method run;
        try {
            Class<?> type = Class.forName("org.apache.felix.gogo.jline.Posix");
            Constructor<?> c = type.getConstructor(CommandProcessor.class);
            posix = c.newInstance(processor);
            run = type.getDeclaredMethod("run", CommandSession.class, Process.class, String[].class);
            run.setAccessible(true);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return; // no gogo.jline in this framework (a bare Pax Exam run): no POSIX commands
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(CommandProcessor.COMMAND_SCOPE, "posix");
        props.put(CommandProcessor.COMMAND_FUNCTION, FUNCTIONS);
        registration = context.registerService(Object.class.getName(), new Commands(posix, run), props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /** What Gogo calls: {@code _main} receives the command name as {@code argv[0]}. */
    public static final class Commands {
        private final Object posix;
        private final Method run;

        Commands(Object posix, Method run) {
            this.posix = posix;
            this.run = run;
        }

        public Object _main(CommandSession session, Object[] args) throws Exception {
            // a glob expands to a list: one word per file, as sh passes them (Gogo would format the list)
            java.util.List<String> words = new java.util.ArrayList<>();
            for (Object a : args) {
                if (a instanceof java.util.Collection<?> c) {
                    c.forEach(o -> words.add(String.valueOf(o)));
                } else {
                    words.add(String.valueOf(a));
                }
            }
            String[] argv = words.toArray(new String[0]);
            Process current = Process.Utils.current();
            // colours only on the interactive terminal (gogo.jline puts it in ".terminal"), never in -c output
            Recording process = new Recording(current, session.get(".terminal") != null);
            String name = argv[0];
            try {
                run.invoke(posix, session, process, argv);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t.getClass().getName().endsWith("$HelpException")) {
                    process.out().println(t.getMessage()); // --help: the usage text, status 0
                    return null;
                }
                if (t instanceof IllegalArgumentException) {
                    throw new KernelException(
                            Errno.EINVAL, String.valueOf(t.getMessage()).replaceFirst("^" + name + ": ", ""), t);
                }
                throw t instanceof Exception x ? x : e;
            }
            process.out().flush();
            if (process.status != 0) {
                throw new ExitStatus(process.status);
            }
            return null;
        }
    }

    /** The current pipe's streams, with the exit code kept for the wrapper to see. */
    static final class Recording implements Process {
        private final Process delegate;
        private final boolean terminal;
        volatile int status;

        Recording(Process delegate, boolean terminal) {
            this.delegate = delegate;
            this.terminal = terminal;
        }

        @Override
        public InputStream in() {
            return delegate != null ? delegate.in() : System.in;
        }

        @Override
        public PrintStream out() {
            return delegate != null ? delegate.out() : System.out;
        }

        @Override
        public PrintStream err() {
            return delegate != null ? delegate.err() : System.err;
        }

        @Override
        public Job job() {
            return delegate != null ? delegate.job() : null;
        }

        @Override
        public boolean isTty(int fd) {
            return terminal && delegate != null && delegate.isTty(fd);
        }

        @Override
        public void error(int error) {
            status = error;
        }
    }
}
