package org.kmodel.trace;

import java.util.Objects;

/**
 * One field of a trace event ({@code __field(type, name)} / {@code __string(name, src)} in a
 * TRACE_EVENT's TP_STRUCT__entry). {@code type} is a C type name as the event's {@code format} file
 * shows it ({@code int}, {@code unsigned long}, {@code u64}, {@code bool}, {@code dev_t}, ...) or a
 * Java one ({@code int}, {@code long}, {@code boolean}, {@code String}); a string field is a
 * {@code __data_loc char[]} in the format file.
 */
public record TraceField(String type, String name) {
    public TraceField {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return type + " " + name;
    }
}
