package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;

class TraceEventTypeTest {
    @Test
    void formatFileLikeFShow() {
        TraceEventDefinition d =
                TracepointDeclaration.parse("kmodel_sample:sample_event(int count, String msg)", "kmodel_sample");
        TraceEventType t = new TraceEventType(d, 42);
        assertEquals(
                "name: sample_event\n"
                        + "ID: 42\n"
                        + "format:\n"
                        + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
                        + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
                        + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
                        + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
                        + "\n"
                        + "\tfield:int count;\toffset:8;\tsize:4;\tsigned:1;\n"
                        + "\tfield:__data_loc char[] msg;\toffset:12;\tsize:4;\tsigned:1;\n"
                        + "\n"
                        + "print fmt: \"count=%d msg=%s\", REC->count, __get_str(msg)\n",
                t.formatFile());
        assertEquals("count=7 msg=hello", t.render(new Object[] {7, "hello"}));
    }

    @Test
    void fieldsAreNaturallyAligned() {
        TraceEventType t = new TraceEventType(
                TraceEventDefinition.of("s", "e", new TraceField("u8", "a"), new TraceField("u64", "b")), 1);
        String f = t.formatFile();
        assertEquals(true, f.contains("field:u8 a;\toffset:8;\tsize:1;\tsigned:0;"), f);
        assertEquals(true, f.contains("field:u64 b;\toffset:16;\tsize:8;\tsigned:0;"), f);
        assertEquals(true, f.contains("print fmt: \"a=%u b=%lu\", REC->a, REC->b"), f);
    }

    @Test
    void declarationsWithMultiWordTypesAndFormats() {
        TraceEventDefinition d =
                TracepointDeclaration.parse(" mod:ev(unsigned long addr, int n) \"addr=0x%lx (n=%d)\" ", "mod");
        assertEquals("mod", d.system());
        assertEquals("ev", d.name());
        assertEquals(List.of(new TraceField("unsigned long", "addr"), new TraceField("int", "n")), d.fields());
        assertEquals("addr=0x%lx (n=%d)", d.printFormat());
        assertEquals("mod", d.owner());
        TraceEventDefinition bare = TracepointDeclaration.parse("mod:tick", null);
        assertEquals(List.of(), bare.fields());
        assertNull(bare.printFormat());
        for (String bad : List.of("noColon(int x)", "m:e(int)", "m:e(int x", "m:e(int x) fmt")) {
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> TracepointDeclaration.parse(bad, null))
                            .errno(),
                    bad);
        }
    }
}
