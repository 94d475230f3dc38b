package org.kmodel.itests;

import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;
import org.osgi.framework.ServiceReference;

/**
 * Reads and writes tracefs and /proc files through the ProcFs service, as {@code cat} and
 * {@code echo >} reach them, without depending on which feature provides the shell's cat.
 */
public abstract class TracefsTestSupport extends KernelTestSupport {
    private ProcFs procFs() {
        ServiceReference<ProcFs> ref = context.getServiceReference(ProcFs.class);
        if (ref == null) {
            throw new AssertionError("no ProcFs service");
        }
        return context.getService(ref);
    }

    /** The file's content without its final newline, as {@code cat} prints it in the shell. */
    protected String read(String path) {
        String s = procFs().read(path);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    protected void write(String path, String content) {
        procFs().write(path, content);
    }

    /** The error of a write that must fail: "what: strerror". */
    protected String writeFails(String path, String content) {
        try {
            procFs().write(path, content);
        } catch (KernelException e) {
            return e.getMessage();
        }
        throw new AssertionError("writing '" + content + "' to " + path + " did not fail");
    }

    protected String readFails(String path) {
        try {
            procFs().read(path);
        } catch (KernelException e) {
            return e.getMessage();
        }
        throw new AssertionError("reading " + path + " did not fail");
    }
}
