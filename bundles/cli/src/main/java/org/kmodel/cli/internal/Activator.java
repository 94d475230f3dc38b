package org.kmodel.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The non-interactive mode: with {@value #EXEC} (a command line) or {@value #SCRIPT} ({@code -} for stdin, or
 * a file) set, waits for {@link FrameworkEvent#STARTED} (the system bundle is ACTIVE before the start level is
 * reached), runs the commands, and exits the JVM with 0 if all succeeded, else 1. Felix's shutdown hook stops
 * the framework on exit, so components deactivate cleanly (disk images are flushed).
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public class Activator implements BundleActivator, FrameworkListener {
    static final String EXEC = "kmodel.exec";
    static final String SCRIPT = "kmodel.exec.script";
    static final String DEBUG = "kmodel.debug";
    static final String SCOPE = "kmodel.shell.scope";
    /** Set by ./kmodel on a terminal: run the interactive console. */
    static final String INTERACTIVE = "kmodel.interactive";

    static final String HISTORY = "kmodel.history";

    private final CountDownLatch started = new CountDownLatch(1);
    private BundleContext context;

    @Override
    public void start(BundleContext ctx) {
        this.context = ctx;
        String exec = ctx.getProperty(EXEC);
        String script = ctx.getProperty(SCRIPT);
        boolean booting = ctx.getBundle(0).getState() == Bundle.STARTING;
        if (exec == null && script == null && Boolean.parseBoolean(ctx.getProperty(INTERACTIVE)) && booting) {
            ctx.addFrameworkListener(this);
            Thread t = new Thread(this::interactive, "kmodel-console");
            t.setDaemon(false);
            t.start();
            return;
        }
        if ((exec == null && script == null) || !booting) {
            return; // interactive mode, or a restart of this bundle after boot: never run the commands twice
        }
        ctx.addFrameworkListener(this);
        if (Boolean.parseBoolean(ctx.getProperty(DEBUG))) {
            ctx.addFrameworkListener(e -> {
                if (e.getType() == FrameworkEvent.ERROR && e.getThrowable() != null) {
                    e.getThrowable().printStackTrace(stderr());
                }
            });
        }
        Thread t = new Thread(() -> exitWith(run(exec, script)), "kmodel-exec");
        t.setDaemon(false);
        t.start();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            started.countDown();
        }
    }

    private int run(String exec, String script) {
        PrintStream out = stdout();
        PrintStream err = stderr();
        try {
            if (!started.await(120, TimeUnit.SECONDS)) {
                err.println("kmodel: the framework did not finish starting");
                return 1;
            }
            List<String> commands = Script.split(exec != null ? exec : read(script));
            if (commands.isEmpty()) {
                return 0;
            }
            ServiceTracker<CommandProcessor, CommandProcessor> tracker =
                    new ServiceTracker<>(context, CommandProcessor.class, null);
            tracker.open();
            try {
                CommandProcessor processor = tracker.waitForService(10_000);
                if (processor == null) {
                    err.println("kmodel: no Gogo command processor");
                    return 1;
                }
                Runner runner = new Runner(
                        processor,
                        out,
                        err,
                        Boolean.parseBoolean(context.getProperty(DEBUG)),
                        context.getProperty(SCOPE));
                int failed = runner.run(commands);
                Integer exit = runner.exitStatus();
                return exit != null ? exit : failed == 0 ? 0 : 1;
            } finally {
                tracker.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("kmodel: " + e.getMessage());
            return 1;
        } catch (Throwable t) {
            // the runner catches per command; this is the last line of defence: the JVM must still exit
            err.println("kmodel: " + t.getClass().getSimpleName() + ": " + t.getMessage());
            return 1;
        }
    }

    /** The console on the terminal; the framework stops when it ends (exit, quit, Ctrl-D). */
    private void interactive() {
        PrintStream err = stderr();
        Runnable shutdown = () -> {
            try {
                context.getBundle(0).stop();
            } catch (Exception e) {
                exitWith(0);
            }
        };
        try {
            if (!started.await(120, TimeUnit.SECONDS)) {
                err.println("kmodel: the framework did not finish starting");
                exitWith(1);
            }
            ServiceTracker<CommandProcessor, CommandProcessor> tracker =
                    new ServiceTracker<>(context, CommandProcessor.class, null);
            tracker.open();
            CommandProcessor processor = tracker.waitForService(10_000);
            if (processor == null) {
                err.println("kmodel: no Gogo command processor");
                exitWith(1);
            }
            new Interactive(
                            processor,
                            modelFileSystem(),
                            context.getProperty(SCOPE),
                            Boolean.parseBoolean(context.getProperty(DEBUG)),
                            shutdown)
                    .run(context.getProperty(HISTORY));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown.run();
        } catch (Exception | LinkageError e) {
            err.println("kmodel: console: " + e);
            shutdown.run();
        }
    }

    /** kmodel's java.nio file system (a service; java.* types need no import), for path completion. */
    private java.nio.file.FileSystem modelFileSystem() {
        try {
            var refs = context.getServiceReferences(java.nio.file.FileSystem.class, "(kmodel.fs=vfs)");
            return refs.isEmpty() ? null : context.getService(refs.iterator().next());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            return null;
        }
    }

    private static String read(String script) throws IOException {
        if (script.equals("-")) {
            // A plain read loop: JDK 17's FileInputStream.readAllBytes() seeks, which fails on a pipe.
            InputStream in = new java.io.FileInputStream(FileDescriptor.in);
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0; ) {
                buf.write(chunk, 0, n);
            }
            return buf.toString(StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(script), StandardCharsets.UTF_8);
    }

    /**
     * The real stdout, never System.out: Gogo's ThreadIO replaces System.out with a per-thread multiplexer,
     * and using it as a session stream recurses (docs/ARCHITECTURE.md, OSGi pitfalls).
     */
    private static PrintStream stdout() {
        return new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    }

    private static PrintStream stderr() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    private static void exitWith(int status) {
        System.exit(status);
    }

    @Override
    public void stop(BundleContext ctx) {
        ctx.removeFrameworkListener(this);
    }
}
