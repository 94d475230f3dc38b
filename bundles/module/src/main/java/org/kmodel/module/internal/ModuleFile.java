package org.kmodel.module.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleHeaders;

/**
 * A module image after the signature is stripped: the bundle jar and its .modinfo (the manifest
 * headers of {@link ModuleHeaders}). The kernel's ELF checks (kernel/module/main.c
 * {@code elf_validity_check}, {@code setup_load_info}) become: it must be a jar with a manifest naming
 * a bundle, else ENOEXEC.
 */
record ModuleFile(
        String name,
        byte[] payload,
        Map<String, String> modinfo,
        List<String> parms,
        List<String> tracepoints,
        List<String> exports,
        List<String> exportsGpl,
        List<String> imports,
        List<String> depends) {

    /** Parses {@code payload}; {@code hint} names the file in messages. */
    static ModuleFile parse(byte[] payload, String hint) {
        Manifest mf;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(payload))) {
            mf = in.getManifest();
        } catch (IOException | RuntimeException e) {
            throw new KernelException(Errno.ENOEXEC, hint + ": not a module (bad jar)", e);
        }
        if (mf == null) {
            throw new KernelException(Errno.ENOEXEC, hint + ": not a module (no manifest)");
        }
        Attributes a = mf.getMainAttributes();
        String bsn = a.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new KernelException(Errno.ENOEXEC, hint + ": not a module (no Bundle-SymbolicName)");
        }
        String name = a.getValue(ModuleHeaders.NAME);
        if (name == null || name.isBlank()) {
            name = bsn.split(";")[0].trim().replace('.', '_').replace('-', '_');
        }
        name = name.trim();
        if (name.length() > 55 || !name.matches("[A-Za-z0-9_]+")) {
            // MODULE_NAME_LEN is 56 with the NUL; the name is also a sysfs directory.
            throw new KernelException(Errno.ENOEXEC, hint + ": bad module name '" + name + "'");
        }
        Map<String, String> info = new LinkedHashMap<>();
        put(info, "version", a.getValue(ModuleHeaders.VERSION));
        put(info, "license", a.getValue(ModuleHeaders.LICENSE));
        put(info, "description", a.getValue(ModuleHeaders.DESCRIPTION));
        put(info, "author", a.getValue(ModuleHeaders.AUTHOR));
        List<String> depends = list(a.getValue(ModuleHeaders.DEPENDS));
        info.put("depends", String.join(",", depends));
        put(info, "intree", a.getValue(ModuleHeaders.INTREE));
        put(info, "staging", a.getValue(ModuleHeaders.STAGING));
        put(info, "livepatch", a.getValue(ModuleHeaders.LIVEPATCH));
        put(info, "test", a.getValue(ModuleHeaders.TEST));
        info.put("name", name);
        put(info, "vermagic", a.getValue(ModuleHeaders.VERMAGIC));
        return new ModuleFile(
                name,
                payload,
                info,
                list(a.getValue(ModuleHeaders.PARM)),
                list(a.getValue(ModuleHeaders.TRACEPOINTS)),
                list(a.getValue(ModuleHeaders.EXPORT_SYMBOL)),
                list(a.getValue(ModuleHeaders.EXPORT_SYMBOL_GPL)),
                list(a.getValue(ModuleHeaders.IMPORT_SYMBOL)),
                depends);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v.trim());
        }
    }

    /** A comma-separated header, split at top level only (tracepoint field lists hold commas). */
    static List<String> list(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : header.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
            if (c == ',' && depth == 0) {
                add(out, cur);
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder s) {
        String t = s.toString().trim();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    /** A .modinfo flag such as {@code intree=Y}: present and not "N"/"0". */
    boolean flag(String key) {
        String v = modinfo.get(key);
        return v != null && !v.equalsIgnoreCase("n") && !v.equals("0");
    }

    /** One declared parameter: {@code name:type:description}. */
    record Parm(String name, String type, String description) {
        static Parm parse(String s) {
            String[] p = s.split(":", 3);
            return new Parm(
                    p[0].trim(),
                    p.length > 1 ? p[1].trim().toLowerCase(Locale.ROOT) : "charp",
                    p.length > 2 ? p[2].trim() : "");
        }
    }

    List<Parm> parameters() {
        return parms.stream().map(Parm::parse).toList();
    }

    /** What {@code modinfo} prints, in kmod's order: fields of .modinfo, then parm lines. */
    List<ModInfo.Field> fields() {
        List<ModInfo.Field> out = new ArrayList<>();
        modinfo.forEach((k, v) -> out.add(new ModInfo.Field(k, v)));
        for (Parm p : parameters()) {
            out.add(new ModInfo.Field("parm", p.name() + ":" + p.description() + " (" + p.type() + ")"));
        }
        return out;
    }
}
