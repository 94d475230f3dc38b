package org.kmodel.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;

/** The taint table and the worked examples of docs/kernel.md#taint (kernel/panic.c print_tainted). */
class TaintFormatTest {
    private static final KernelRelease P315 = KernelRelease.V3_15;
    private static final KernelRelease MODERN = KernelRelease.V6_18;

    private static long mask(TaintFlag... flags) {
        return TaintFlag.maskOf(List.of(flags));
    }

    @Test
    void tableMatchesSpecBitByBit() {
        String letters = "PFSRMBUDAWCIOELKXTNJ";
        assertEquals(20, TaintFlag.values().length);
        for (TaintFlag f : TaintFlag.values()) {
            assertEquals(f.ordinal(), f.bit(), f + " bit");
            assertEquals(1L << f.bit(), f.mask(), f + " value");
            assertEquals(letters.charAt(f.bit()), f.letter(), f + " letter");
            assertEquals(f.bit() == 0 ? 'G' : ' ', f.clearChar(), f + " clear char");
            assertEquals(f, TaintFlag.ofLetter(f.letter()));
            assertEquals(f, TaintFlag.ofBit(f.bit()));
        }
        assertEquals(4096, TaintFlag.OOT_MODULE.mask());
        assertEquals(8192, TaintFlag.UNSIGNED_MODULE.mask());
        assertEquals(32768, TaintFlag.LIVEPATCH.mask());
        assertEquals(524288, TaintFlag.FWCTL.mask());
        assertEquals("TAINT_UNSIGNED_MODULE", TaintFlag.UNSIGNED_MODULE.kernelName());
    }

    @Test
    void perModuleFlagsAreThoseOfTheSpec() {
        EnumSet<TaintFlag> perMod = EnumSet.noneOf(TaintFlag.class);
        for (TaintFlag f : TaintFlag.values()) {
            if (f.perModule()) {
                perMod.add(f);
            }
        }
        assertEquals(
                EnumSet.of(
                        TaintFlag.PROPRIETARY_MODULE,
                        TaintFlag.FORCED_MODULE,
                        TaintFlag.CRAP,
                        TaintFlag.OOT_MODULE,
                        TaintFlag.UNSIGNED_MODULE,
                        TaintFlag.LIVEPATCH,
                        TaintFlag.AUX,
                        TaintFlag.RANDSTRUCT,
                        TaintFlag.TEST,
                        TaintFlag.FWCTL),
                perMod);
    }

    @Test
    void flagsCountPerProfile() {
        assertEquals(13, TaintFlag.count(KernelRelease.V3_14), "E appeared in 3.15");
        assertEquals(14, TaintFlag.count(P315));
        assertEquals(20, TaintFlag.count(MODERN));
        assertEquals("3.15", TaintFlag.UNSIGNED_MODULE.since());
        assertFalse(TaintFlag.UNSIGNED_MODULE.existsIn(KernelRelease.V3_14));
        assertTrue(TaintFlag.UNSIGNED_MODULE.existsIn(P315));
        assertFalse(TaintFlag.SOFTLOCKUP.existsIn(P315));
    }

    @Test
    void notTainted() {
        assertEquals("Not tainted", TaintFormat.tainted(0, P315));
        assertEquals("Not tainted", TaintFormat.tainted(0, MODERN));
    }

    @Test
    void workedExamplesModern() {
        assertEquals(
                "Tainted: P        W  O       ",
                TaintFormat.tainted(mask(TaintFlag.PROPRIETARY_MODULE, TaintFlag.WARN, TaintFlag.OOT_MODULE), MODERN));
        assertEquals(4609, mask(TaintFlag.PROPRIETARY_MODULE, TaintFlag.WARN, TaintFlag.OOT_MODULE));
        assertEquals(12288, mask(TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE));
        assertEquals("Tainted: G           OE      ", TaintFormat.tainted(12288, MODERN));
        assertEquals(11, mask(TaintFlag.PROPRIETARY_MODULE, TaintFlag.FORCED_MODULE, TaintFlag.FORCED_RMMOD));
        assertEquals("Tainted: PF R                ", TaintFormat.tainted(11, MODERN));
        assertEquals("Tainted: G              K    ", TaintFormat.tainted(32768, MODERN));
    }

    @Test
    void workedExamplesP315() {
        assertEquals("Tainted: G           OE", TaintFormat.tainted(12288, P315));
        assertEquals("Tainted: GF            ", TaintFormat.tainted(2, P315));
    }

    @Test
    void kernelDocExampleFor18Flags() {
        // Documentation/admin-guide/tainted-kernels.rst: 4609/'P        W  O     ' for an 18-flag kernel;
        // the first 18 characters of our 20-flag string are exactly that.
        String s = TaintFormat.letters(4609, MODERN);
        assertEquals("P        W  O     ", s.substring(0, 18));
    }

    @ParameterizedTest
    @EnumSource(KernelRelease.class)
    void everySingleFlagGivesItsLetterAtItsBit(KernelRelease r) {
        int n = TaintFlag.count(r);
        for (TaintFlag f : TaintFlag.table(r)) {
            String s = TaintFormat.tainted(f.mask(), r);
            assertTrue(s.startsWith("Tainted: "));
            String letters = s.substring("Tainted: ".length());
            assertEquals(n, letters.length(), "exactly TAINT_FLAGS_COUNT characters");
            for (int bit = 0; bit < n; bit++) {
                char expected = bit == f.bit() ? f.letter() : (bit == 0 ? 'G' : ' ');
                assertEquals(expected, letters.charAt(bit), f + " at bit " + bit);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelRelease.class)
    void allFlagsSetSpellsTheLetterTable(KernelRelease r) {
        String all = "PFSRMBUDAWCIOELKXTNJ".substring(0, TaintFlag.count(r));
        assertEquals("Tainted: " + all, TaintFormat.tainted(TaintFlag.validMask(r), r));
    }

    @Test
    void flagsUnknownToTheProfileAreNotShown() {
        assertEquals("Not tainted", TaintFormat.tainted(TaintFlag.SOFTLOCKUP.mask(), P315));
        assertEquals("Not tainted", TaintFormat.tainted(TaintFlag.UNSIGNED_MODULE.mask(), KernelRelease.V3_14));
    }

    @Test
    void taintStateIsAddOnlyAndKeepsEveryBitWrittenBefore58() {
        TaintState t = new TaintState(P315);
        assertEquals(0, t.mask());
        t.add(TaintFlag.OOT_MODULE);
        t.addMask(TaintFlag.UNSIGNED_MODULE.mask() | TaintFlag.LIVEPATCH.mask() | (1L << 40));
        assertEquals(
                12288 | TaintFlag.LIVEPATCH.mask() | (1L << 40),
                t.mask(),
                "3.15's proc_taint add_taint()s every bit written, known to the release or not");
        assertEquals("Tainted: G           OE", t.tainted(), "print_tainted shows only the letters it knows");
    }

    @Test
    void from58BitsBeyondTaintFlagsMaxAreDropped() {
        TaintState t = new TaintState(KernelRelease.V6_18);
        t.addMask(TaintFlag.OOT_MODULE.mask() | (1L << 40));
        assertEquals(TaintFlag.OOT_MODULE.mask(), t.mask(), "proc_taint masks with TAINT_FLAGS_MAX since 5.8");
    }

    @Test
    void taintStateIsAddOnly() {
        TaintState t = new TaintState(P315);
        t.add(TaintFlag.OOT_MODULE);
        t.addMask(TaintFlag.UNSIGNED_MODULE.mask());
        assertEquals(12288, t.mask());
        t.addMask(0);
        t.add(TaintFlag.OOT_MODULE);
        assertEquals(12288, t.mask(), "nothing is ever cleared");
        assertEquals("Tainted: G           OE", t.tainted());
        assertEquals(EnumSet.of(TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE), t.flags());
        KernelException e = assertThrows(KernelException.class, () -> t.add(TaintFlag.LIVEPATCH));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(12288, t.mask(), "a refused add changes nothing");
    }

    @Test
    void moduleFlagsOrder() {
        long poe = mask(
                TaintFlag.PROPRIETARY_MODULE,
                TaintFlag.OOT_MODULE,
                TaintFlag.UNSIGNED_MODULE,
                TaintFlag.FORCED_MODULE,
                TaintFlag.CRAP);
        assertEquals("(POFCE)", TaintFormat.moduleFlags(poe, false, false, P315));
        assertEquals("(PFCOE)", TaintFormat.moduleFlags(poe, false, false, MODERN));
        assertEquals("", TaintFormat.moduleFlags(0, false, false, P315));
        assertEquals("(+)", TaintFormat.moduleFlags(0, true, false, P315));
        assertEquals("(OE-)", TaintFormat.moduleFlags(12288, false, true, P315));
        assertEquals(
                "(OK)", TaintFormat.moduleFlags(mask(TaintFlag.OOT_MODULE, TaintFlag.LIVEPATCH), false, false, MODERN));
    }

    @Test
    void chktaintReport() {
        assertEquals(List.of("Kernel not Tainted"), TaintFormat.chktaint(0, P315));
        List<String> out = TaintFormat.chktaint(4609, MODERN);
        assertEquals("Kernel is \"tainted\" for the following reasons:", out.get(0));
        assertEquals(" * proprietary module was loaded (#0)", out.get(1));
        assertEquals(" * kernel issued warning (#9)", out.get(2));
        assertEquals(" * externally-built ('out-of-tree') module was loaded (#12)", out.get(3));
        assertEquals("Raw taint value as int/string: 4609/'P        W  O       '", out.get(out.size() - 1));
    }
}
