package org.kmodel.mm;

import org.osgi.annotation.versioning.ProviderType;

/** An address space ({@code struct mm_struct}, include/linux/mm_types.h), as cache designs and probes see it. */
@ProviderType
public interface AddressSpace {
    /** A number unique in its kernel instance (for messages and probes). */
    long id();

    /** {@code map_count}. */
    int mapCount();

    /** {@code mm_users}: tasks using this mm. */
    int users();

    /** {@code start_brk} / {@code brk}. */
    long startBrk();

    long brk();
}
