package org.kmodel.itests.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Runs Gogo commands through the CommandProcessor service, reflectively: the probe needs no Gogo import and
 * so is never rewired when bundles come and go (docs/ARCHITECTURE.md#osgi-pitfalls-worth-knowing).
 */
public final class Gogo {
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";

    private Gogo() {}

    /** Runs one command line and returns its result as text (a String result as is, null as ""). */
    public static String run(BundleContext context, String command) throws Exception {
        ServiceReference<?> ref = processorRef(context);
        Object processor = context.getService(ref);
        try {
            InputStream in = new ByteArrayInputStream(new byte[0]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Method create = processor
                    .getClass()
                    .getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            Object session = create.invoke(processor, in, out, out);
            Class<?> sessionType = Class.forName(
                    "org.apache.felix.service.command.CommandSession",
                    false,
                    session.getClass().getClassLoader());
            try {
                sessionType
                        .getMethod("put", String.class, Object.class)
                        .invoke(session, "SCOPE", "kernel:feature:vfs:mm:module:trace:*");
                Object result =
                        sessionType.getMethod("execute", CharSequence.class).invoke(session, command);
                if (result == null) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (result instanceof CharSequence) {
                    return result.toString();
                }
                return String.valueOf(
                        sessionType.getMethod("format", Object.class, int.class).invoke(session, result, 0));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
        } finally {
            context.ungetService(ref);
        }
    }

    /** Runs a command that must fail and returns the failure's message (for KernelException: "what: strerror"). */
    public static String fail(BundleContext context, String command) throws Exception {
        try {
            String out = run(context, command);
            throw new AssertionError("expected '" + command + "' to fail, but it printed: " + out);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static ServiceReference<?> processorRef(BundleContext context)
            throws InvalidSyntaxException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            ServiceReference<?>[] refs = context.getAllServiceReferences(PROCESSOR, null);
            if (refs != null && refs.length > 0) {
                return refs[0];
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + PROCESSOR + " service");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until a command's output contains the text (commands of new bundles appear asynchronously). */
    public static String await(BundleContext context, String command, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        Exception lastError = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = run(context, command);
                if (last.contains(expected)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + command + "' never printed '" + expected + "'; last output: " + last
                + (lastError == null ? "" : ", last error: " + lastError));
    }
}
