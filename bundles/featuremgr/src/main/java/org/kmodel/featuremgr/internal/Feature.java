package org.kmodel.featuremgr.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OSGi R8 feature (OSGi Compendium 8 chapter 160, "Feature Service"): its id, its bundles as Maven
 * coordinates and its configurations. Only the parts kmodel uses are read; unknown members are ignored as
 * the specification allows.
 */
final class Feature {
    final String name;
    final String id;
    final String title;
    final String description;
    final List<String> bundles;
    final Map<String, Map<String, Object>> configurations;

    private Feature(
            String name,
            String id,
            String title,
            String description,
            List<String> bundles,
            Map<String, Map<String, Object>> configurations) {
        this.name = name;
        this.id = id;
        this.title = title;
        this.description = description;
        this.bundles = Collections.unmodifiableList(bundles);
        this.configurations = Collections.unmodifiableMap(configurations);
    }

    static Feature read(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FeatureException(file.toString(), FeatureException.ENOENT, e);
        }
        try {
            return parse(name, text);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new FeatureException(file.getFileName() + ": " + e.getMessage(), FeatureException.EINVAL, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Feature parse(String name, String text) {
        Object doc = Json.parse(text);
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("a feature is a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) doc;
        Object id = m.get("id");
        if (!(id instanceof String) || ((String) id).split(":").length < 3) {
            throw new IllegalArgumentException(
                    "missing or malformed \"id\" (group:artifact[:type[:classifier]]:version)");
        }
        List<String> bundles = new ArrayList<>();
        Object bl = m.getOrDefault("bundles", List.of());
        if (!(bl instanceof List)) {
            throw new IllegalArgumentException("\"bundles\" must be an array");
        }
        for (Object b : (List<Object>) bl) {
            Object bid = b instanceof Map ? ((Map<String, Object>) b).get("id") : b;
            if (!(bid instanceof String) || ((String) bid).split(":").length < 3) {
                throw new IllegalArgumentException("bundle entry without a group:artifact:version \"id\": " + b);
            }
            bundles.add((String) bid);
        }
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        Object cl = m.getOrDefault("configurations", Map.of());
        if (!(cl instanceof Map)) {
            throw new IllegalArgumentException("\"configurations\" must be an object");
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) cl).entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                throw new IllegalArgumentException("configuration " + e.getKey() + " must be an object");
            }
            configs.put(e.getKey(), (Map<String, Object>) e.getValue());
        }
        return new Feature(name, (String) id, str(m.get("name")), str(m.get("description")), bundles, configs);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** The version part of the feature id. */
    String version() {
        String[] p = id.split(":");
        return p[p.length - 1];
    }

    /** {@code g:a:v} (or g:a:jar:v, g:a:jar:classifier:v) to the Maven repository layout path. */
    static String repoPath(String coordinates) {
        String[] p = coordinates.split(":");
        String g = p[0];
        String a = p[1];
        String v = p[p.length - 1];
        String type = p.length >= 4 ? p[2] : "jar";
        String classifier = p.length >= 5 ? "-" + p[3] : "";
        return g.replace('.', '/') + "/" + a + "/" + v + "/" + a + "-" + v + classifier + "." + type;
    }
}
