package org.kmodel.mm.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.MmService;
import org.kmodel.mm.WorkloadResult;

/** Issue 3 acceptance: the article's table from the generators, the spec's figures from the real traces. */
class Issue3ReproductionTest {
    private static final Path TRACES = Path.of("/work/shared/traces");
    private final MmService mm = Kernels.all();
    private final WorkloadRunnerComponent runner = new WorkloadRunnerComponent(mm);

    @Test
    void syntheticGeneratorsLandWithinOneAndAHalfPointsOfTheArticle() {
        List<WorkloadResult> rows = runner.table(3, line -> { });
        int compared = 0;
        for (WorkloadResult r : rows) {
            assertEquals(0, r.staleRejected, r.workload + "/" + r.design);
            if (!Double.isNaN(r.published)) {
                assertEquals(r.published, r.hitRate(), 1.5, r.workload + "/" + r.design);
                compared++;
            }
        }
        assertEquals(7, compared);
    }

    @Test
    void generatorsAreDeterministicPerSeed() {
        WorkloadResult a = runner.workload("vmacache", "boot", 7);
        WorkloadResult b = runner.workload("vmacache", "boot", 7);
        WorkloadResult c = runner.workload("vmacache", "boot", 8);
        assertEquals(a.hits, b.hits);
        assertEquals(a.lookups, b.lookups);
        assertTrue(a.lookups != c.lookups || a.hits != c.hits);
    }

    private void replay(String file, double... expected) {
        Path p = TRACES.resolve(file);
        Assumptions.assumeTrue(Files.isReadable(p), "trace " + p + " not available");
        String[] designs = {"mmapcache", "largest", "vmacache"};
        for (int i = 0; i < designs.length; i++) {
            WorkloadResult r = runner.replay(designs[i], p);
            assertEquals(expected[i], r.hitRate(), 0.5, file + " " + designs[i]);
            assertEquals(0, r.staleRejected);
        }
    }

    @Test
    void gcc1TraceMatchesTheSpec() {
        replay("gcc1.events.tsv.xz", 66.2, 74.1, 84.2);
        WorkloadResult r = runner.replay("vmacache", TRACES.resolve("gcc1.events.tsv.xz"));
        assertEquals(2338, r.lookups);
        assertEquals(63, r.invalidations);
        assertEquals(0, r.checkMismatches);
    }

    @Test
    void ebzTraceMatchesTheSpec() {
        replay("ebz.events.tsv.xz", 19.6, 19.6, 99.98);
    }

    @Test
    void malformedLineStopsWithItsLineNumber() {
        String trace = "exec\t1\tsh\nmap\t1\t0x1000\t0x2000\trw-p\tanon\t0\nfault\t1\tzz\tsh\n";
        TraceReplay r = new TraceReplay(mm.newInstance("vmacache"));
        KernelException e = assertThrows(KernelException.class,
                () -> r.run(new ByteArrayInputStream(trace.getBytes(StandardCharsets.US_ASCII))));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertEquals(Errno.EINVAL, assertThrows(KernelException.class, () -> mm.newInstance("nosuch")).errno());
        assertEquals(Errno.EINVAL, assertThrows(KernelException.class,
                () -> runner.workload("vmacache", "nosuch", 1)).errno());
    }
}
