package org.kmodel.featuremgr.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Applies a feature's {@code configurations} through ConfigAdmin: {@code "key:Integer"} type hints,
 * {@code "pid~name"} factory configurations (OSGi Configurator format, chapter 150).
 */
final class Configs {
    private Configs() {}

    /**
     * Applies all configurations and returns the PIDs created, to delete them on rollback or uninstall. A
     * configuration that already exists (a {@code load/*.cfg}, an earlier {@code sysctl -w}) wins: the feature
     * only adds the keys it lacks, and it is not deleted with the feature.
     */
    static List<String> apply(Object configAdmin, Map<String, Map<String, Object>> configurations) {
        List<String> pids = new ArrayList<>();
        if (configurations.isEmpty()) {
            return pids;
        }
        if (!(configAdmin instanceof ConfigurationAdmin)) {
            throw new FeatureException(
                    "configurations need ConfigurationAdmin, which is not running", FeatureException.ENOENT);
        }
        ConfigurationAdmin ca = (ConfigurationAdmin) configAdmin;
        try {
            for (Map.Entry<String, Map<String, Object>> e : configurations.entrySet()) {
                Dictionary<String, Object> props = properties(e.getValue());
                String pid = e.getKey();
                int tilde = pid.indexOf('~');
                Configuration c = tilde < 0
                        ? ca.getConfiguration(pid, "?")
                        : ca.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
                Dictionary<String, Object> existing = c.getProperties();
                if (existing == null) {
                    c.update(props);
                    pids.add(c.getPid());
                } else if (addMissing(existing, props)) {
                    c.update(existing);
                }
            }
        } catch (IOException | RuntimeException e) {
            delete(ca, pids);
            throw new FeatureException("configuration: " + e.getMessage(), FeatureException.EINVAL, e);
        }
        return pids;
    }

    private static boolean addMissing(Dictionary<String, Object> existing, Dictionary<String, Object> defaults) {
        boolean changed = false;
        for (java.util.Enumeration<String> keys = defaults.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (existing.get(k) == null) {
                existing.put(k, defaults.get(k));
                changed = true;
            }
        }
        return changed;
    }

    static void delete(Object configAdmin, List<String> pids) {
        if (!(configAdmin instanceof ConfigurationAdmin)) {
            return;
        }
        ConfigurationAdmin ca = (ConfigurationAdmin) configAdmin;
        for (String pid : pids) {
            try {
                Configuration[] found = ca.listConfigurations("(service.pid=" + pid + ")");
                if (found != null) {
                    for (Configuration c : found) {
                        c.delete();
                    }
                }
            } catch (IOException | org.osgi.framework.InvalidSyntaxException | RuntimeException ignored) {
                // a configuration someone else deleted already
            }
        }
    }

    static Dictionary<String, Object> properties(Map<String, Object> json) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            String key = e.getKey();
            String type = null;
            int colon = key.indexOf(':');
            if (colon > 0) {
                type = key.substring(colon + 1);
                key = key.substring(0, colon);
            }
            if (e.getValue() != null) {
                d.put(key, convert(e.getValue(), type));
            }
        }
        return d;
    }

    static Object convert(Object v, String type) {
        if (type == null) {
            if (v instanceof List) {
                return ((List<?>) v).stream().map(String::valueOf).toArray(String[]::new);
            }
            return v;
        }
        if (type.endsWith("[]")) {
            String element = type.substring(0, type.length() - 2);
            List<?> list = v instanceof List ? (List<?>) v : List.of(v);
            Object array = Array.newInstance(classOf(element), list.size());
            for (int i = 0; i < list.size(); i++) {
                Array.set(array, i, scalar(list.get(i), element));
            }
            return array;
        }
        return scalar(v, type);
    }

    private static Class<?> classOf(String type) {
        switch (type) {
            case "Integer":
                return Integer.class;
            case "Long":
                return Long.class;
            case "Boolean":
                return Boolean.class;
            case "Double":
                return Double.class;
            case "Float":
                return Float.class;
            case "String":
                return String.class;
            default:
                throw new IllegalArgumentException("unknown type hint '" + type + "'");
        }
    }

    private static Object scalar(Object v, String type) {
        String s = String.valueOf(v);
        switch (type) {
            case "Integer":
                return Integer.valueOf(s);
            case "Long":
                return Long.valueOf(s);
            case "Boolean":
                return Boolean.valueOf(s);
            case "Double":
                return Double.valueOf(s);
            case "Float":
                return Float.valueOf(s);
            case "String":
                return s;
            default:
                throw new IllegalArgumentException("unknown type hint '" + type + "'");
        }
    }
}
