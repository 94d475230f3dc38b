package org.kmodel.mm.testing;

import java.util.Collection;
import org.kmodel.mm.MmService;
import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.internal.MmComponent;

/** The mm bundle's service for a test or benchmark that runs without OSGi. */
public final class TestMm {
    private TestMm() {}

    /** An mm subsystem with {@code designs} bound, selecting {@code design} (the release default if null). */
    public static MmService standalone(Collection<? extends VmaCacheDesign<?, ?>> designs, String design) {
        return MmComponent.standalone(designs, design);
    }
}
