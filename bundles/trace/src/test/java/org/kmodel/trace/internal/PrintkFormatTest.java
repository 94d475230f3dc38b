package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

class PrintkFormatTest {
    private static String r(String fmt, Object... v) {
        return PrintkFormat.compile(fmt).render(v);
    }

    @Test
    void conversionsAsVsprintf() {
        assertEquals("count=3 msg=hi", r("count=%d msg=%s", 3, "hi"));
        assertEquals("4294967295", r("%u", -1));
        assertEquals("18446744073709551615", r("%lu", -1L));
        assertEquals("ffffffff", r("%x", -1));
        assertEquals("0x7f001000", r("0x%lx", 0x7f001000L));
        assertEquals("0x1f", r("%#x", 31));
        assertEquals("00042", r("%05d", 42));
        assertEquals("   -7|", r("%5d|", -7));
        assertEquals("ab   |", r("%-5s|", "ab"));
        assertEquals("100%", r("%d%%", 100));
        assertEquals(
                "kmodel call_site=try_module_get refcnt=2",
                r("%s call_site=%pf refcnt=%d", "kmodel", "try_module_get", 2));
        assertEquals("1 0", r("%d %d", true, false));
        assertEquals("(null)", r("%s", (Object) null));
    }

    @Test
    void badConversionIsEinval() {
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> PrintkFormat.compile("%q"))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> PrintkFormat.compile("x=%"))
                        .errno());
    }
}
