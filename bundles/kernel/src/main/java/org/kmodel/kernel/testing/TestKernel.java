package org.kmodel.kernel.testing;

import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.internal.TaintState;

/** The kernel bundle's services for a test or benchmark that runs without OSGi. */
public final class TestKernel {
    private TestKernel() {}

    /** A new, untainted taint state of the release {@code profile} names (the bundle's {@link Taint} service). */
    public static Taint taint(ReleaseProfile profile) {
        return new TaintState(profile);
    }
}
