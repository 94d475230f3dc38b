package org.kmodel.kernel.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.kmodel.kernel.KernelLog;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * OSGi logging into the kernel log: SCR (component activation failures) and any bundle that logs through the
 * OSGi LoggerFactory end up in dmesg, and messages at ERR or worse also on the console as one line, the way
 * printk prints below console_loglevel 4 (kernel/printk/printk.c {@code console_loglevel}). Stack traces
 * only with {@code --debug} ({@code kmodel.debug=true}).
 */
@Component(service = LoggerFactory.class, immediate = true)
public class KernelLoggerFactory implements LoggerFactory {
    private static final PrintStream CONSOLE =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private final KernelLog log;
    private final boolean debug;

    @Activate
    public KernelLoggerFactory(@Reference KernelLog log, BundleContext context) {
        this(log, Boolean.parseBoolean(context.getProperty("kmodel.debug")));
    }

    KernelLoggerFactory(KernelLog log, boolean debug) {
        this.log = log;
        this.debug = debug;
    }

    @Override
    public Logger getLogger(String name) {
        return getLogger(null, name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(null, clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return getLogger(null, name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return getLogger(null, clazz.getName(), loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        String source = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : name;
        // Logger and FormatterLogger have dozens of overloads; one handler serves them all.
        Object proxy = Proxy.newProxyInstance(
                loggerType.getClassLoader(), new Class<?>[] {loggerType}, new Handler(name, source));
        return loggerType.cast(proxy);
    }

    /** printk for one logger; also prints ERR and worse on the console. */
    void emit(KernelLog.Level level, String source, String message, Throwable thrown) {
        String text = source + ": " + message + (thrown == null ? "" : ": " + rootMessage(thrown));
        log.printk(level, text);
        if (level.number() <= KernelLog.Level.ERR.number()) {
            CONSOLE.println("kmodel: " + text);
            if (debug && thrown != null) {
                thrown.printStackTrace(CONSOLE);
            }
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.split("\n")[0];
    }

    /** Formats "{}" placeholders the way the OSGi Logger does; a trailing Throwable argument is the exception. */
    static Object[] format(Object[] args) {
        if (args == null || args.length == 0 || !(args[0] instanceof String)) {
            return new Object[] {"", null};
        }
        String pattern = (String) args[0];
        Object[] params = args.length == 2 && args[1] instanceof Object[]
                ? (Object[]) args[1]
                : java.util.Arrays.copyOfRange(args, 1, args.length);
        Throwable thrown = null;
        if (params.length > 0 && params[params.length - 1] instanceof Throwable) {
            thrown = (Throwable) params[params.length - 1];
        }
        StringBuilder sb = new StringBuilder();
        int p = 0;
        int from = 0;
        for (int at = pattern.indexOf("{}"); at >= 0; at = pattern.indexOf("{}", from)) {
            sb.append(pattern, from, at);
            sb.append(p < params.length && params[p] != thrown ? String.valueOf(params[p++]) : "{}");
            from = at + 2;
        }
        sb.append(pattern.substring(from));
        return new Object[] {sb.toString(), thrown};
    }

    private final class Handler implements InvocationHandler {
        private final String name;
        private final String source;

        Handler(String name, String source) {
            this.name = name;
            this.source = source;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "getName":
                    return name;
                case "isErrorEnabled":
                case "isWarnEnabled":
                    return true;
                case "isInfoEnabled":
                case "isDebugEnabled":
                case "isTraceEnabled":
                    return debug;
                case "error":
                    return log(KernelLog.Level.ERR, args);
                case "warn":
                    return log(KernelLog.Level.WARNING, args);
                case "info":
                    return log(KernelLog.Level.INFO, args);
                case "audit":
                    return log(KernelLog.Level.NOTICE, args);
                case "debug":
                case "trace":
                    return debug ? log(KernelLog.Level.DEBUG, args) : null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "KernelLogger[" + name + "]";
                default:
                    return null;
            }
        }

        private Object log(KernelLog.Level level, Object[] args) {
            Object[] f = format(args);
            emit(level, source, (String) f[0], (Throwable) f[1]);
            return null;
        }
    }
}
