package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** kmodel:find_vma_hit/miss recorded from the mm's FindVmaProbe hook, which exists only while they are enabled. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MmTraceIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(feature("mm"), feature("trace"));
    }

    private int hooks() throws Exception {
        Object[] refs = context.getAllServiceReferences("org.kmodel.mm.FindVmaProbe", null);
        return refs == null ? 0 : refs.length;
    }

    @Test
    public void findVmaHitsAndMissesAreTracedOnlyWhileEnabled() throws Exception {
        String pid = gogo("mm:spawn bash").trim();
        int others = hooks();
        gogo("trace-cmd start -e kmodel:find_vma_hit -e kmodel:find_vma_miss");
        assertEquals(others + 1, hooks());
        gogo("mm:findvma " + pid + " 0x400000");
        gogo("mm:findvma " + pid + " 0x400000");
        String trace = gogo("trace-cmd show");
        assertTrue(
                trace,
                trace.matches(
                        "(?s).*find_vma_miss: pid=" + pid + " addr=0x400000 vma=0x[0-9a-f]+-0x[0-9a-f]+ cache=\\w+.*"));
        assertTrue(trace, trace.contains("find_vma_hit: pid=" + pid + " addr=0x400000"));
        gogo("trace-cmd reset");
        assertEquals(others, hooks());
        gogo("mm:findvma " + pid + " 0x400000");
        assertFalse(gogo("trace-cmd show").contains("find_vma"));
    }
}
