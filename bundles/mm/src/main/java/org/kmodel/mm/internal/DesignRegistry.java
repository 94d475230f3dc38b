package org.kmodel.mm.internal;

import java.util.List;
import org.kmodel.mm.VmaCacheDesign;

/** The cache designs a kernel instance can select (the registered design services). */
interface DesignRegistry {
    /** The design named {@code name}, or null. */
    VmaCacheDesign<?, ?> get(String name);

    List<String> names();
}
