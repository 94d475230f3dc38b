package org.kmodel.mm.internal;

import org.kmodel.kernel.ProcFile;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * /proc/vmstat (mm/vmstat.c) with the CONFIG_DEBUG_VM_VMACACHE counters of 3.16 (vmacache_find_calls,
 * vmacache_find_hits), first for the selected design as the kernel names them, then per design
 * ({@code vmacache_find_calls_mmapcache ...}) because kmodel can run several designs in one boot.
 */
@Component(service = ProcFile.class, property = ProcFile.PATH + "=/proc/vmstat")
public class ProcVmstat implements ProcFile {
    private final MmService mm;

    @Activate
    public ProcVmstat(@Reference MmService mm) {
        this.mm = mm;
    }

    @Override
    public String read(String wildcard) {
        StringBuilder sb = new StringBuilder();
        CacheStats cur = mm.currentStats();
        sb.append("vmacache_find_calls ").append(cur.calls).append('\n');
        sb.append("vmacache_find_hits ").append(cur.hits).append('\n');
        sb.append("vmacache_full_flushes 0\n");
        for (CacheStats s : mm.cacheStats()) {
            sb.append("vmacache_find_calls_")
                    .append(s.design)
                    .append(' ')
                    .append(s.calls)
                    .append('\n');
            sb.append("vmacache_find_hits_")
                    .append(s.design)
                    .append(' ')
                    .append(s.hits)
                    .append('\n');
        }
        return sb.toString();
    }
}
