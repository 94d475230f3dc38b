package org.kmodel.featuremgr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;

/** {@code feature:list}, {@code feature:info}, {@code feature:install}, {@code feature:uninstall}. */
public class FeatureCommands {
    private final FeatureManager manager;

    FeatureCommands(FeatureManager manager) {
        this.manager = manager;
    }

    @Descriptor("list the features of the features/ directory and whether they are installed")
    public String list() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Version", "Installed", "Bundles", "Description"});
        for (Map.Entry<String, Feature> e : manager.available().entrySet()) {
            Feature f = e.getValue();
            if (f == null) {
                rows.add(new String[] {e.getKey(), "-", "-", "-", "(malformed: see feature:info " + e.getKey() + ")"});
            } else {
                rows.add(new String[] {
                    f.name,
                    f.version(),
                    manager.isInstalled(f.name) ? "yes" : "no",
                    String.valueOf(f.bundles.size()),
                    f.description.isEmpty() ? f.title : f.description
                });
            }
        }
        return table(rows);
    }

    @Descriptor("show a feature's id, bundles and configurations")
    public String info(@Descriptor("feature name (features/NAME.json) or path to a .json file") String name) {
        Feature f = manager.find(name);
        StringBuilder sb = new StringBuilder();
        sb.append("Feature ").append(f.name).append(" (").append(f.id).append(")\n");
        if (!f.title.isEmpty()) {
            sb.append("  ").append(f.title).append('\n');
        }
        if (!f.description.isEmpty()) {
            sb.append("  ").append(f.description).append('\n');
        }
        sb.append("Installed: ")
                .append(manager.isInstalled(f.name) ? "yes" : "no")
                .append('\n');
        sb.append("Bundles:\n");
        for (String b : f.bundles) {
            sb.append("  ").append(b).append('\n');
        }
        if (!f.configurations.isEmpty()) {
            sb.append("Configurations:\n");
            for (Map.Entry<String, Map<String, Object>> e : f.configurations.entrySet()) {
                sb.append("  ")
                        .append(e.getKey())
                        .append(' ')
                        .append(e.getValue())
                        .append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    @Descriptor("install features: apply their configurations and install and start their bundles; all or nothing")
    public void install(@Descriptor("feature names or .json paths") String... names) {
        if (names == null || names.length == 0) {
            throw new FeatureException("usage: feature:install NAME...", FeatureException.EINVAL);
        }
        for (String n : names) {
            manager.install(n);
        }
    }

    @Descriptor("uninstall features: stop and remove the bundles no other installed feature needs, delete their "
            + "configurations, refresh")
    public void uninstall(@Descriptor("feature names") String... names) {
        if (names == null || names.length == 0) {
            throw new FeatureException("usage: feature:uninstall NAME...", FeatureException.EINVAL);
        }
        for (String n : names) {
            manager.uninstall(n.replaceFirst("\\.json$", "").replaceFirst(".*/", ""));
        }
    }

    static String table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(" ".repeat(w[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
