package org.kmodel.module.internal;

/** kernel/params.c {@code param_set_int}, {@code param_set_bool}, ...: which values a type accepts. */
final class ModuleParams {
    private ModuleParams() {}

    static boolean valid(String type, String v) {
        try {
            switch (type) {
                case "int":
                    Integer.parseInt(v);
                    return true;
                case "uint":
                    return Long.parseLong(v) >= 0 && Long.parseLong(v) <= 0xffffffffL;
                case "long":
                    Long.parseLong(v);
                    return true;
                case "bool":
                    return v.isEmpty() || v.matches("[01yYnN]|on|off|true|false");
                default:
                    return true;
            }
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
