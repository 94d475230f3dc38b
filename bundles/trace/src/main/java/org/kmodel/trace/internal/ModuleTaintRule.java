package org.kmodel.trace.internal;

import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;

/**
 * Which of a module's own taints let it keep its tracepoints (kernel/tracepoint.c
 * {@code trace_module_has_bad_taint}, called from {@code tracepoint_module_coming}):
 * <ul>
 * <li>3.7-3.14: O and C only, so an unsigned module (tainted F in those releases) loses them (3.14 says so
 * in the log, see {@link #logsRefusal});</li>
 * <li>3.15 (commit 66cc69e34e86): + E, the new unsigned-module taint;</li>
 * <li>6.0: + N (TEST); about 6.3: + K (LIVEPATCH).</li>
 * </ul>
 * The check looks at {@code mod->taints} only, never at the global mask, and is made once at COMING.
 */
final class ModuleTaintRule {
    private ModuleTaintRule() {}

    /** The module taints that keep tracepoints in this release. */
    static long allowed(KernelRelease release) {
        long m = TaintFlag.OOT_MODULE.mask() | TaintFlag.CRAP.mask();
        if (release.atLeast(3, 15)) {
            m |= TaintFlag.UNSIGNED_MODULE.mask();
        }
        if (release.atLeast(6, 0)) {
            m |= TaintFlag.TEST.mask();
        }
        if (release.atLeast(6, 3)) {
            m |= TaintFlag.LIVEPATCH.mask();
        }
        return m;
    }

    static boolean hasBadTaint(long moduleTaints, KernelRelease release) {
        return (moduleTaints & ~allowed(release)) != 0;
    }

    /**
     * Whether trace_module_add_events refuses a module with bad taint, logs
     * {@code "<mod>: module has bad taint, not creating trace events"} and creates no event files. Added by
     * Steven Rostedt's commit 45ab2813d40d ("tracing: Do not add event files for modules that fail
     * tracepoints", authored 2014-02-26, parent v3.14-rc5, merged by Linus on 2014-03-07 with the tag
     * trace-fixes-v3.14-rc5), so first in v3.14-rc6 and in 3.14 as released; marked for stable 2.6.31+,
     * which is why distribution 3.13.y kernels print the line too. The 3.13 profile keeps the mainline 3.13
     * behaviour the LWN article of 5 March 2014 describes: silent, with dead event files.
     */
    static boolean logsRefusal(KernelRelease release) {
        return release.atLeast(3, 14);
    }

    /**
     * The taint letters {@code show_module_flags()} prints in the module_load event
     * (include/trace/events/module.h, 3.15): P, O, F, C, E in that order.
     */
    static String moduleLoadFlags(long taints) {
        StringBuilder sb = new StringBuilder();
        for (TaintFlag f : new TaintFlag[] {
            TaintFlag.PROPRIETARY_MODULE,
            TaintFlag.OOT_MODULE,
            TaintFlag.FORCED_MODULE,
            TaintFlag.CRAP,
            TaintFlag.UNSIGNED_MODULE
        }) {
            if ((taints & f.mask()) != 0) {
                sb.append(f.letter());
            }
        }
        return sb.toString();
    }
}
