package org.kmodel.trace;

import java.util.List;
import java.util.Objects;

/**
 * The static description of one trace event, what a {@code TRACE_EVENT()} macro declares
 * (include/linux/tracepoint.h, include/trace/ftrace.h): system, name, typed fields and the
 * {@code TP_printk} format. {@code printFormat} uses printf conversions ({@code %d %u %ld %lu %lld
 * %llu %x %lx %llx %s %c %p %pf}) consumed by the fields in declaration order; {@code null} means the
 * default {@code "name1=%v name2=%v"} rendering. {@code owner} is the module that declared it, or
 * {@code null} for tracepoints built into the kernel.
 */
public record TraceEventDefinition(
        String system, String name, List<TraceField> fields, String printFormat, String owner) {
    public TraceEventDefinition {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
    }

    /** A built-in (vmlinux) event with the default format. */
    public static TraceEventDefinition of(String system, String name, TraceField... fields) {
        return new TraceEventDefinition(system, name, List.of(fields), null, null);
    }

    public TraceEventDefinition withFormat(String format) {
        return new TraceEventDefinition(system, name, fields, format, owner);
    }

    public TraceEventDefinition withOwner(String module) {
        return new TraceEventDefinition(system, name, fields, printFormat, module);
    }

    /** {@code "system:name"}, as {@code available_events} lists it. */
    public String fullName() {
        return system + ":" + name;
    }
}
