package org.kmodel.module;

import java.util.List;

/**
 * What {@code modinfo} prints for a module: its .modinfo fields in order, then the signature fields
 * when it is signed (kmod libkmod-signature.c: sig_id, signer, sig_key, sig_hashalgo, signature).
 */
public record ModInfo(String filename, List<Field> fields, SignatureInfo signature) {
    public ModInfo {
        fields = List.copyOf(fields);
    }

    /** One {@code key: value} line; keys such as {@code parm} may repeat. */
    public record Field(String key, String value) {}

    /** The first value of {@code key}, or {@code null}. */
    public String get(String key) {
        return fields.stream()
                .filter(f -> f.key().equals(key))
                .map(Field::value)
                .findFirst()
                .orElse(null);
    }
}
