package org.kmodel.trace.internal;

import java.util.Locale;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The C type of one trace event field as the {@code format} file shows it (include/trace/ftrace.h
 * {@code __field}/{@code __string}): size, signedness and the default printk conversion. Java type names
 * are accepted as aliases so module manifests can say {@code int count, String msg}.
 */
record FieldType(String cName, int size, boolean signed, boolean string) {
    private static final FieldType STRING = new FieldType("__data_loc char[]", 4, true, true);

    private static final Map<String, FieldType> TYPES = Map.ofEntries(
            scalar("char", 1, true),
            scalar("s8", 1, true),
            scalar("byte", "char", 1, true),
            scalar("unsigned char", 1, false),
            scalar("u8", 1, false),
            scalar("bool", 1, false),
            scalar("boolean", "bool", 1, false),
            scalar("short", 2, true),
            scalar("s16", 2, true),
            scalar("unsigned short", 2, false),
            scalar("u16", 2, false),
            scalar("int", 4, true),
            scalar("s32", 4, true),
            scalar("pid_t", 4, true),
            scalar("unsigned int", 4, false),
            scalar("unsigned", "unsigned int", 4, false),
            scalar("u32", 4, false),
            scalar("dev_t", 4, false),
            scalar("gfp_t", 4, false),
            scalar("umode_t", 2, false),
            scalar("long", 8, true),
            scalar("long long", 8, true),
            scalar("s64", 8, true),
            scalar("loff_t", 8, true),
            scalar("ssize_t", 8, true),
            scalar("unsigned long", 8, false),
            scalar("unsigned long long", 8, false),
            scalar("u64", 8, false),
            scalar("size_t", 8, false),
            scalar("ino_t", 8, false),
            scalar("sector_t", 8, false),
            scalar("ext4_lblk_t", 4, false),
            Map.entry("string", STRING),
            Map.entry("char *", STRING),
            Map.entry("const char *", STRING),
            Map.entry("char[]", STRING));

    private static Map.Entry<String, FieldType> scalar(String name, int size, boolean signed) {
        return scalar(name, name, size, signed);
    }

    private static Map.Entry<String, FieldType> scalar(String name, String cName, int size, boolean signed) {
        return Map.entry(name, new FieldType(cName, size, signed, false));
    }

    /** The type for a declared name; EINVAL if unknown. */
    static FieldType of(String declared) {
        String key = declared.trim().replaceAll("\\s+", " ");
        FieldType t = TYPES.get(key);
        if (t == null) {
            t = TYPES.get(key.toLowerCase(Locale.ROOT));
        }
        if (t == null) {
            throw new KernelException(Errno.EINVAL, "unknown trace field type '" + declared + "'");
        }
        return t;
    }

    /** The conversion the default {@code TP_printk} uses for this type. */
    String defaultConversion() {
        if (string) {
            return "%s";
        }
        if (size == 8) {
            return signed ? "%ld" : "%lu";
        }
        return signed ? "%d" : "%u";
    }
}
