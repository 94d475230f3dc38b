package org.kmodel.shell.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/** help's grouping by subsystem and its description of one command, hyphenated names included. */
class HelpCommandTest {
    public static class Uname {
        @Descriptor("print system information")
        public String uname(@Descriptor("options") String... args) {
            return "";
        }
    }

    public static class TraceCmd {
        static final String USAGE = "usage: trace-cmd COMMAND [OPTIONS]\n  list -e [REGEX]";

        @Descriptor("control the tracing events")
        public Object _main(Object session, @Descriptor("COMMAND [OPTIONS]") String... argv) {
            return null;
        }
    }

    public static class SignFile {
        static final String USAGE = "usage: sign-file [-dpk] <hash algo> <key> <x509> <module> [<dest>]";
    }

    public static class Posix {
        public Object _main(Object session, Object[] args) {
            return null;
        }
    }

    private final List<HelpCommand.Entry> entries = List.of(
            new HelpCommand.Entry("trace", "trace-cmd", new TraceCmd()),
            new HelpCommand.Entry("kernel", "uname", new Uname()),
            new HelpCommand.Entry("module", "sign-file", new SignFile()),
            new HelpCommand.Entry("posix", "grep", new Posix()),
            new HelpCommand.Entry("shell", "drain", new Posix()));

    @Test
    void listsCommandsBySubsystemInTheKernelTreesOrder() {
        assertEquals("""
                Commands by subsystem ('help NAME' describes one; Felix's own: felix:help)

                kernel:
                  uname        print system information

                module:
                  sign-file    usage: sign-file [-dpk] <hash algo> <key> <x509> <module> [<dest>]

                trace:
                  trace-cmd    control the tracing events

                shell:
                  grep""", HelpCommand.byScope(entries));
    }

    @Test
    void describesHyphenatedCommandsWithTheirUsage() {
        String trace = HelpCommand.describe(entries.get(0));
        assertTrue(
                trace.startsWith("trace:trace-cmd\n   control the tracing events\n      COMMAND [OPTIONS]\n"), trace);
        assertTrue(trace.contains("   usage: trace-cmd COMMAND [OPTIONS]\n     list -e [REGEX]\n"), trace);
        String sign = HelpCommand.describe(entries.get(2));
        assertTrue(sign.contains("usage: sign-file [-dpk]"), sign);
    }
}
