package org.kmodel.kernel.testing;

import java.util.List;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.internal.TaintFormat;
import org.kmodel.kernel.internal.TaintState;

/** The kernel bundle's services for a test or benchmark that runs without OSGi. */
public final class TestKernel {
    private TestKernel() {}

    /** A new, untainted taint state of the release {@code profile} names (the bundle's {@link Taint} service). */
    public static Taint taint(ReleaseProfile profile) {
        return new TaintState(profile);
    }

    /** print_tainted()'s text for {@code mask} under {@code release}, without a taint state around it. */
    public static String printTainted(long mask, KernelRelease release) {
        return TaintFormat.tainted(mask, release);
    }

    /** tools/debugging/kernel-chktaint's report for {@code mask} under {@code release}, one line an element. */
    public static List<String> chktaint(long mask, KernelRelease release) {
        return TaintFormat.chktaint(mask, release);
    }
}
