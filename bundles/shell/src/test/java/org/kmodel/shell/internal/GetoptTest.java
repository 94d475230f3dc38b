package org.kmodel.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** The shell's one option parser: getopt_long(3)'s rules and glibc's wording of its errors. */
class GetoptTest {
    private static final String[] LONGS = {"offset=o", "keep-size=n", "json", "design:"};

    private static Getopt parse(String... args) {
        return Getopt.parse(args, "no:l:v", LONGS);
    }

    private static String fails(String... args) {
        KernelException e = assertThrows(KernelException.class, () -> parse(args));
        assertEquals(Errno.EINVAL, e.errno());
        return e.what();
    }

    @Test
    void shortLongAndOperands() {
        Getopt o = parse("-nv", "-o4096", "f", "-l", "8k", "--json", "--design=lru", "g", "--", "-x");
        assertTrue(o.has('n') && o.has('v') && o.has("json") && o.has("--json"));
        assertEquals("4096", o.value('o'));
        assertEquals("8k", o.value('l'));
        assertEquals("lru", o.value("design"));
        assertEquals(List.of("f", "g", "-x"), o.operands(), "GNU permutation; after -- everything is an operand");
        Getopt l = parse("--offset", "7", "--keep-size");
        assertEquals("7", l.value('o'));
        assertTrue(l.has('n'));
        assertTrue(parse().none());
        assertFalse(parse("f").has('n'));
    }

    @Test
    void numbersRepeatsAndStops() {
        assertEquals(List.of("-5", "-"), parse("-5", "-").operands(), "a negative number is an operand by default");
        KernelException e = assertThrows(
                KernelException.class, () -> Getopt.of("a").numbersAreOptions().run(new String[] {"-5"}));
        assertEquals("invalid option -- '5'", e.what());
        Getopt r = Getopt.of("e:o:").stopAtOperand().run(new String[] {"-e", "a", "-e", "b", "ls", "-l"});
        assertEquals(List.of("a", "b"), r.values('e'));
        assertEquals(List.of("ls", "-l"), r.operands(), "the traced command keeps its own options");
        assertEquals(2, Getopt.parse(new String[] {"-vv"}, "v").count('v'));
    }

    @Test
    void errorsAreGlibcs() {
        assertEquals("invalid option -- 'Z'", fails("-Z"));
        assertEquals("unrecognized option '--no-such-option'", fails("--no-such-option"));
        assertEquals("option requires an argument -- 'o'", fails("-o"));
        assertEquals("option '--offset' requires an argument", fails("--offset"));
        assertEquals("option '--json' doesn't allow an argument", fails("--json=1"));
        KernelException e =
                assertThrows(KernelException.class, () -> parse("a", "b").need(1, 1, "cmd FILE"));
        assertEquals("extra operand 'b'\nUsage: cmd FILE", e.what());
        e = assertThrows(KernelException.class, () -> parse().needInline(1, 1, "cmd FILE"));
        assertEquals("missing operand (usage: cmd FILE)", e.what());
        assertEquals(
                "unrecognized option '--x'",
                assertThrows(KernelException.class, () -> Getopt.noOptions("--x"))
                        .what());
        Getopt.noOptions("-");
        Getopt.noOptions("-1");
    }
}
