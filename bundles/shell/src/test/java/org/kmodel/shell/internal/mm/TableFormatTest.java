package org.kmodel.shell.internal.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.mm.WorkloadResult;

class TableFormatTest {
    private static WorkloadResult row(String w, String d, long lookups, long hits, double published) {
        WorkloadResult r = new WorkloadResult();
        r.workload = w;
        r.design = d;
        r.lookups = lookups;
        r.hits = hits;
        r.published = published;
        r.publishedSource = Double.isNaN(published) ? null : "LWN 2014-03-05";
        r.seed = 3;
        return r;
    }

    private final List<WorkloadResult> rows =
            List.of(row("kbuild", "vmacache", 1000, 881, 88.09), row("kbuild", "lru", 1000, 899, Double.NaN));

    @Test
    void textShowsMeasuredArticleAndDelta() {
        String t = TableFormat.text(rows);
        assertTrue(t.startsWith("WORKLOAD  DESIGN    LOOKUPS  HIT%   PUBLISHED%  SOURCE          DELTA"), t);
        assertTrue(t.contains("kbuild    vmacache  1000     88.10  88.09       LWN_2014-03-05  +0.01"), t);
        assertTrue(t.contains("kbuild    lru       1000     89.90  -           -               -"), t);
    }

    @Test
    void jsonHasNullForUnpublishedCells() {
        String j = TableFormat.json(rows);
        assertTrue(
                j.contains("\"hit_rate\": 88.1000, \"published\": 88.09, \"published_source\": \"LWN 2014-03-05\""), j);
        assertTrue(
                j.contains("\"design\": \"lru\", \"seeds\": 3, \"lookups\": 1000, \"hits\": 899, "
                        + "\"hit_rate\": 89.9000, \"published\": null, \"published_source\": null"),
                j);
        assertEquals('[', j.charAt(0));
    }

    @Test
    void svgHasOneBarPerCellAndATickPerPublishedFigure() {
        String s = TableFormat.svg(rows);
        assertTrue(s.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertEquals(2 + 2, s.split("<rect ", -1).length - 1); // 2 bars + 2 legend swatches
        assertEquals(1, s.split("stroke-width=\"3\"", -1).length - 1);
        assertTrue(s.contains("published 88.09 % (LWN 2014-03-05)"), s);
        assertTrue(s.contains(">hit rate (%)</text>"), "y-axis label: " + s);
        assertTrue(s.contains(">88.1</text>") && s.contains(">89.9</text>"), "visible values: " + s);
        assertTrue(s.trim().endsWith("</svg>"));
    }
}
