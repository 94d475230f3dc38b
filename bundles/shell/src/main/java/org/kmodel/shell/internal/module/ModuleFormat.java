package org.kmodel.shell.internal.module;

import java.util.List;
import java.util.Locale;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.SignatureInfo;

/** The output of kmod's tools (tools/lsmod.c, tools/modinfo.c) for the loader's DTOs. */
public final class ModuleFormat {
    private ModuleFormat() {}

    /**
     * kmod {@code lsmod}: the header, then {@code %-19s %8lu  %d} and the holders joined by commas.
     * With {@code taints} the module's taint letters follow as in /proc/modules (not in kmod).
     */
    public static String lsmod(List<ModuleEntry> modules, boolean taints) {
        StringBuilder sb = new StringBuilder("Module                  Size  Used by\n");
        for (ModuleEntry e : modules) {
            sb.append(String.format(Locale.ROOT, "%-19s %8d  %d", e.name(), e.size(), e.refcount()));
            if (!e.holders().isEmpty()) {
                sb.append(' ').append(String.join(",", e.holders()));
            }
            if (taints && !e.flags().isEmpty()) {
                sb.append(" (").append(e.flags()).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** kmod {@code modinfo}: {@code key:} padded to 16 columns, then the value. */
    public static String modinfo(ModInfo info) {
        StringBuilder sb = new StringBuilder();
        line(sb, "filename", info.filename());
        for (ModInfo.Field f : info.fields()) {
            line(sb, f.key(), f.value());
        }
        SignatureInfo s = info.signature();
        if (s != null) {
            line(sb, "sig_id", s.idType());
            line(sb, "signer", s.signer());
            line(sb, "sig_key", s.keyId());
            line(sb, "sig_hashalgo", s.hashAlgo());
            signature(sb, s.signature());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s%s", key + ":", value)).append('\n');
    }

    /** kmod prints the signature 20 bytes a line, continuation lines indented by two tabs. */
    private static void signature(StringBuilder sb, String hex) {
        String[] bytes = hex.isEmpty() ? new String[0] : hex.split(":");
        sb.append(String.format(Locale.ROOT, "%-16s", "signature:"));
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0 && i % 20 == 0) {
                sb.append('\n').append("\t\t");
            }
            sb.append(bytes[i]);
            if (i < bytes.length - 1) {
                sb.append(':');
            }
        }
        sb.append('\n');
    }
}
