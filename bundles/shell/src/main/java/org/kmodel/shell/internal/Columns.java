package org.kmodel.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned text columns, as {@code lsmod}, {@code ps} and {@code mount} print them. Every command
 * that renders a table uses this one formatter.
 */
public final class Columns {
    private final List<String[]> rows = new ArrayList<>();
    private final int gap;

    public Columns(int gap) {
        this.gap = gap;
    }

    public Columns row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[n];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + gap));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
