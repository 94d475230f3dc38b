package org.kmodel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void memparseTakesBinarySuffixesOnly() {
        assertEquals(65536, Sizes.memparse("65536"));
        assertEquals(4096, Sizes.memparse("4k"));
        assertEquals(4096, Sizes.memparse("4K"));
        assertEquals(2L << 30, Sizes.memparse("2G"));
        assertEquals(1L << 60, Sizes.memparse("1e"));
        assertEquals(255, Sizes.memparse("0xff"));
        for (String bad : new String[] {"", "k", "4q", "4KB", "4KiB", "4s", "-1", "16E", "1 k"}) {
            assertThrows(NumberFormatException.class, () -> Sizes.memparse(bad), bad);
        }
    }

    @Test
    void toolSizesAddIecSiSectorsAndSign() {
        assertEquals(4096, Sizes.parse("4k"));
        assertEquals(4096, Sizes.parse("4KiB"));
        assertEquals(4000, Sizes.parse("4KB"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(1024, Sizes.parse("2s"));
        assertEquals(-4096, Sizes.parse("-4k"));
        assertEquals(16, Sizes.parse("0x10"));
        for (String bad : new String[] {"", "4q", "4Kb", "4KiBs", "8E", "x"}) {
            assertThrows(NumberFormatException.class, () -> Sizes.parse(bad), bad);
        }
    }
}
