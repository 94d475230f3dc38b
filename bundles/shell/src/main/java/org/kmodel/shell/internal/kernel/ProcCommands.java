package org.kmodel.shell.internal.kernel;

import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.ProcFs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code cat} and {@code write} over the /proc whiteboard only. Stand-in until the VFS provides real files:
 * the VFS engineer replaces this one class (and its component) with a VFS-backed {@code cat}.
 */
@Component(service = ProcCommands.class, property = {"osgi.command.scope=kernel", "osgi.command.function=cat",
    "osgi.command.function=write"})
public class ProcCommands {
    /** Dynamic and greedy: a higher-ranked /proc implementation (a live patch, the VFS) takes over at once. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProcFs proc;

    @Descriptor("print /proc and /sys files, e.g. cat /proc/sys/kernel/tainted")
    public String cat(@Descriptor("paths") String... paths) {
        Options o = Options.parse(paths, "").operands(1, Integer.MAX_VALUE, "cat PATH...");
        StringBuilder sb = new StringBuilder();
        for (String p : o.operands()) {
            sb.append(proc.read(p));
        }
        return KernelCommands.strip(sb.toString());
    }

    @Descriptor("write a value to a /proc or /sys file, like echo VALUE > PATH")
    public String write(@Descriptor("path") String path, @Descriptor("value") String value) {
        proc.write(path, value + "\n");
        return null;
    }
}
