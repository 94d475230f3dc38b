package org.kmodel.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting command lines and scripts, and the one-line error format. */
class ScriptTest {
    @Test
    void splitsAtTopLevelSeparatorsOnly() {
        assertEquals(
                List.of("uname -r", "cat /proc/sys/kernel/tainted", "taint"),
                Script.split("uname -r; cat /proc/sys/kernel/tainted; taint"));
        assertEquals(
                List.of("echo 'a;b'", "x { a; b }", "y \"c;\\\"d\""),
                Script.split("echo 'a;b'; x { a; b }\ny \"c;\\\"d\""));
        assertEquals(List.of("a", "b"), Script.split("# comment\n  a ;;\n\n b\n# another; not a command\n"));
        assertEquals(List.of(), Script.split("  \n ; "));
        assertEquals("feature:install", Script.name("  feature:install core"));
    }

    @Test
    void errorLines() {
        assertEquals(
                "no-such: command not found",
                ErrorLine.of("no-such -x", new IllegalArgumentException("Command not found: no-such")));
        assertEquals(
                "write: wrong arguments (see 'help write'): Invalid argument",
                ErrorLine.of(
                        "write /proc/x", new IllegalArgumentException("Cannot coerce write(String) to any of []")));
        assertEquals(
                "kernel:uname: wrong arguments (see 'help uname'): Invalid argument",
                ErrorLine.of("kernel:uname 1", new IllegalArgumentException("Cannot coerce uname(Integer) to any")));
        assertEquals(
                "feature:install: x: File exists",
                ErrorLine.of("feature:install core", new RuntimeException("x: File exists")));
        // a defect of the command, not of the input: still one line with an errno (issue 12)
        assertEquals(
                "cat: internal error: NullPointerException: Input/output error",
                ErrorLine.of("cat", new NullPointerException()));
        // the KernelException anywhere in the cause chain wins: "command: what failed: strerror"
        RuntimeException wrapped = new RuntimeException(
                "invocation failed",
                new org.kmodel.kernel.KernelException("cannot stat /proc/sys/kernel/nope: No such file or directory"));
        assertEquals(
                "sysctl: cannot stat /proc/sys/kernel/nope: No such file or directory",
                ErrorLine.of("sysctl kernel.nope", wrapped));
    }

    @Test
    void exitAndQuitEndTheScriptWithTheirStatus() {
        assertEquals(true, Exit.matches("exit"));
        assertEquals(true, Exit.matches("  quit "));
        assertEquals(false, Exit.matches("mm:exit 5"));
        assertEquals(false, Exit.matches("exiting"));
        assertEquals(0, Exit.status("exit", 0));
        assertEquals(1, Exit.status("quit", 2));
        assertEquals(3, Exit.status("exit 3", 0));
        assertEquals(255, Exit.status("exit -1", 0));
        assertEquals(2, Exit.status("exit x", 0));
    }

    @Test
    void gogosPipeErrorLinesGetTheFailingCommandsName() {
        assertEquals(
                "cat: /nope: No such file or directory",
                PipeErrors.rewrite("cat /nope | grep x", "gogo: KernelException: /nope: No such file or directory"));
        assertEquals(
                "head: /x: Is a directory",
                PipeErrors.rewrite("dmesg | head /x | wc", "gogo: FileSystemException: /x: Is a directory"));
        assertEquals("dmesg: boom", PipeErrors.rewrite("dmesg | wc", "gogo: IllegalStateException: boom"));
        assertEquals("plain line", PipeErrors.rewrite("dmesg | wc", "plain line"));
        // a redirection that cannot be opened: the VFS's java.nio exceptions are anonymous subclasses, so Gogo's
        // line has an empty class name ("gogo: : ..."); the element is the redirected command, not shell:drain
        assertEquals(
                "echo: /nope/f: No such file or directory",
                PipeErrors.rewrite(
                        "echo x > /nope/f" + Redirection.DRAIN,
                        "gogo: : /nope/f: No such file or directory",
                        "pipe-echo x > /nope/f"));
        // the element given the option getopt complains about, not the pipe's first command
        assertEquals(
                "grep: invalid option -- 'E': Invalid argument",
                PipeErrors.rewrite(
                        "dmesg | grep -E Linux | tail -n 5",
                        "gogo: KernelException: invalid option -- 'E': Invalid argument"));
        assertEquals(
                "wc: unrecognized option '--bogus': Invalid argument",
                PipeErrors.rewrite(
                        "dmesg | wc --bogus",
                        "gogo: KernelException: unrecognized option '--bogus': Invalid argument"));
        assertEquals(
                "dmesg: invalid option -- 'q': Invalid argument",
                PipeErrors.rewrite("dmesg -q | wc", "gogo: KernelException: invalid option -- 'q': Invalid argument"));
    }

    @Test
    void issue11TheErrorLineNamesThePipeElementThatFailed() {
        // the last element's failure reaches the runner: its name, not the pipe's first command's
        RuntimeException bad = new org.kmodel.kernel.KernelException("invalid option -- 'E': Invalid argument");
        assertEquals("grep: invalid option -- 'E': Invalid argument", ErrorLine.of("dmesg | grep -E Linux", bad));
        assertEquals(
                "tail: invalid option -- 'E': Invalid argument", ErrorLine.of("dmesg | grep 'a|b' | tail -E", bad));
        assertEquals(
                "head: invalid option -- 'E': Invalid argument",
                ErrorLine.of("dmesg | head -E > /tmp/x", bad),
                "a redirected last element is still the last");
        assertEquals("dmesg: invalid option -- 'E': Invalid argument", ErrorLine.of("dmesg -E", bad));
        assertEquals(
                "echo: invalid option -- 'E': Invalid argument",
                ErrorLine.of("echo 'a | b' -E", bad),
                "a '|' inside quotes is no pipe");
        // a middle element's failure is printed by Gogo on that element's thread, which Gogo names after it
        assertEquals(
                "wc: boom", PipeErrors.rewrite("dmesg | wc | tail", "gogo: IllegalStateException: boom", "pipe-wc"));
        assertEquals(
                "grep: invalid option -- 'Z': Invalid argument",
                PipeErrors.rewrite(
                        "dmesg | grep -Z x | head",
                        "gogo: KernelException: invalid option -- 'Z': Invalid argument",
                        "pipe-grep -Z x"));
        assertEquals(
                "cat: /nope: No such file or directory",
                PipeErrors.rewrite(
                        "cat /nope | grep x",
                        "gogo: KernelException: /nope: No such file or directory",
                        "pipe-cat /nope"));
        // a command that already reported its failure (grep without a match in the middle): no line at all
        assertNull(PipeErrors.rewrite("dmesg | grep x | head", "gogo: ExitStatus: exit status 1", "pipe-grep x"));
    }

    @Test
    void aRedirectedResultGoesIntoTheFile() {
        assertEquals("lsmod > /tmp/x | shell:drain", Redirection.prepare("lsmod > /tmp/x"));
        assertEquals("dmesg | grep x >> /tmp/x | shell:drain", Redirection.prepare("dmesg | grep x >> /tmp/x"));
        assertEquals("lsmod &> /tmp/x | shell:drain", Redirection.prepare("lsmod &> /tmp/x"));
        assertEquals("ls 1> /tmp/x | shell:drain", Redirection.prepare("ls 1> /tmp/x"));
        assertEquals("cat /x 2> /tmp/err", Redirection.prepare("cat /x 2> /tmp/err"));
        assertEquals("cat /x 2>&1", Redirection.prepare("cat /x 2>&1"));
        assertEquals("lsmod > /tmp/x | wc -l", Redirection.prepare("lsmod > /tmp/x | wc -l"));
        assertEquals("echo 'a > b'", Redirection.prepare("echo 'a > b'"));
        assertEquals("x = { a > b }", Redirection.prepare("x = { a > b }"));
        assertEquals("sort < /tmp/in", Redirection.prepare("sort < /tmp/in"));
    }
}
