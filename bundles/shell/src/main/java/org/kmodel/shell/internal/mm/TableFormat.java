package org.kmodel.shell.internal.mm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kmodel.mm.WorkloadResult;
import org.kmodel.shell.internal.Columns;

/** Renders the reproduction table as text, JSON and an SVG bar chart. */
final class TableFormat {
    private TableFormat() {}

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String text(List<WorkloadResult> rows) {
        Columns c = new Columns(2);
        c.row("WORKLOAD", "DESIGN", "LOOKUPS", "HIT%", "PUBLISHED%", "SOURCE", "DELTA", "INVALIDATIONS", "STALE");
        for (WorkloadResult r : rows) {
            double d = r.hitRate() - r.published;
            c.row(
                    r.workload,
                    r.design,
                    r.lookups,
                    pct(r.hitRate()),
                    pct(r.published),
                    r.publishedSource == null ? "-" : r.publishedSource.replace(' ', '_'),
                    Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%+.2f", d),
                    r.invalidations,
                    r.staleRejected);
        }
        return c.toString();
    }

    static String json(List<WorkloadResult> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            WorkloadResult r = rows.get(i);
            sb.append(String.format(
                    Locale.ROOT,
                    "  {\"workload\": \"%s\", \"design\": \"%s\", \"seeds\": %d, "
                            + "\"lookups\": %d, \"hits\": %d, \"hit_rate\": %.4f, \"published\": %s, \"published_source\": %s, "
                            + "\"invalidations\": %d, \"stale_rejected\": %d}%s%n",
                    r.workload,
                    r.design,
                    r.seed,
                    r.lookups,
                    r.hits,
                    r.hitRate(),
                    Double.isNaN(r.published) ? "null" : String.format(Locale.ROOT, "%.2f", r.published),
                    r.publishedSource == null ? "null" : "\"" + r.publishedSource + "\"",
                    r.invalidations,
                    r.staleRejected,
                    i + 1 < rows.size() ? "," : ""));
        }
        return sb.append("]\n").toString();
    }

    private static final String[] COLORS = {
        "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#9c755f", "#e15759", "#76b7b2", "#edc948"
    };

    /**
     * Grouped bars per workload, one colour per design, each bar's hit rate written above it, a black tick for a
     * published figure with its value and source; the y axis is labelled.
     */
    static String svg(List<WorkloadResult> rows) {
        Map<String, List<WorkloadResult>> byWorkload = new LinkedHashMap<>();
        List<String> designs = new ArrayList<>();
        for (WorkloadResult r : rows) {
            byWorkload.computeIfAbsent(r.workload, w -> new ArrayList<>()).add(r);
            if (!designs.contains(r.design)) {
                designs.add(r.design);
            }
        }
        int bar = 22;
        int groupW = bar * designs.size() + 30;
        int w = 70 + groupW * byWorkload.size() + 150;
        int h = 340;
        int top = 50;
        int plotH = 230;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n",
                w, h));
        sb.append("<text x=\"10\" y=\"18\" font-size=\"13\">find_vma hit rate by design; black ticks: "
                + "published figures (LWN 2014-03-05; largest: LKML 2013-11-10)</text>\n");
        sb.append(String.format(
                "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">"
                        + "hit rate (%%)</text>%n",
                top + plotH / 2, top + plotH / 2));
        for (int p = 0; p <= 100; p += 25) {
            int y = top + plotH - plotH * p / 100;
            sb.append(String.format(
                    "<line x1=\"50\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"44\" y=\"%d\" text-anchor=\"end\">%d</text>%n",
                    y, w - 150, y, y + 4, p));
        }
        int x0 = 60;
        for (Map.Entry<String, List<WorkloadResult>> e : byWorkload.entrySet()) {
            for (WorkloadResult r : e.getValue()) {
                int i = designs.indexOf(r.design);
                int x = x0 + i * bar;
                int bh = (int) Math.round(plotH * r.hitRate() / 100);
                sb.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s %s %.2f %%</title></rect>%n",
                        x,
                        top + plotH - bh,
                        bar - 3,
                        bh,
                        COLORS[i % COLORS.length],
                        r.workload,
                        r.design,
                        r.hitRate()));
                int vy = top + plotH - bh - 3;
                sb.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-size=\"9\" " + "transform=\"rotate(-90 %d %d)\">%.1f</text>%n",
                        x + bar / 2 + 3,
                        vy,
                        x + bar / 2 + 3,
                        vy,
                        r.hitRate()));
                if (!Double.isNaN(r.published)) {
                    int py = top + plotH - (int) Math.round(plotH * r.published / 100);
                    sb.append(String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                                    + "stroke=\"black\" stroke-width=\"3\"><title>published %.2f %% (%s)</title></line>%n",
                            x - 2,
                            py,
                            x + bar - 1,
                            py,
                            r.published,
                            r.publishedSource));
                }
            }
            sb.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>%n", x0, top + plotH + 18, e.getKey()));
            x0 += groupW;
        }
        for (int i = 0; i < designs.size(); i++) {
            int y = top + 10 + i * 18;
            sb.append(String.format(
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>%n",
                    w - 130, y, COLORS[i % COLORS.length], w - 112, y + 10, designs.get(i)));
        }
        return sb.append("</svg>\n").toString();
    }
}
