package org.kmodel.cli.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.apache.felix.gogo.runtime.Parser;
import org.apache.felix.gogo.runtime.SyntaxError;

/**
 * Issue 12: Jazzer on the shell's command-line path, up to the point where a command would run: the script
 * splitter, the input bounds, Gogo's parser, and the error line for whatever the parser throws. Invariants for
 * any input: splitting terminates and loses no non-blank command; a command within {@link Limits} never
 * exhausts the parser's stack (the 5,000 '[' case); the parser throws nothing but SyntaxError (EOFError is
 * one); and every failure becomes exactly one line that ends with a strerror.
 * <p>
 * {@code mvn test} replays the seed corpus in src/test/resources/.../Issue12ShellParserFuzzTestInputs/parse
 * (regression mode); {@code JAZZER_FUZZ=1 mvn -o test -pl bundles/cli -Dtest=Issue12ShellParserFuzzTest}
 * fuzzes until 12 million executions or two hours (docs/hardening.md has the figures of the long run).
 */
class Issue12ShellParserFuzzTest {
    @FuzzTest(maxDuration = "85m", maxExecutions = 10_500_000)
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        List<String> commands = Script.split(text);
        for (String c : commands) {
            assertFalse(c.isBlank(), "a blank command");
            String refused = Limits.check(c);
            if (refused != null) {
                assertTrue(refused.endsWith(": Argument list too long"), refused);
                continue;
            }
            try {
                new Parser(c).program();
            } catch (SyntaxError expected) {
                oneLine(c, expected);
            } catch (AssertionError e) {
                // Finding 1 of the long run (seed finding_gogo_skipquote_assert): Gogo 1.1.6's
                // BaseTokenizer.skipQuote asserts on a backquote inside $((...)). Assertions are off in ./kmodel,
                // and with them on the runner still turns the AssertionError into one line. Anything else fails.
                if (!isGogoAssert(e)) {
                    throw e;
                }
                oneLine(c, e);
            } catch (StackOverflowError e) {
                fail("the parser overflowed its stack on an input within the limits (depth " + Limits.depth(c) + ")");
            } catch (RuntimeException e) {
                // a defect of Gogo's parser: still one line for the user, but a finding for us
                oneLine(c, e);
                fail("Gogo's parser threw " + e);
            }
        }
    }

    private static final java.util.regex.Pattern STRERROR =
            java.util.regex.Pattern.compile("(?s).*: [A-Z][A-Za-z /,'-]+");

    private static boolean isGogoAssert(AssertionError e) {
        StackTraceElement[] st = e.getStackTrace();
        return e.getMessage() == null
                && st.length > 0
                && st[0].getClassName().startsWith("org.apache.felix.gogo.runtime.");
    }

    private static void oneLine(String command, Throwable t) {
        String line = ErrorLine.of(command, t);
        assertFalse(line.contains("\n"), line);
        assertTrue(STRERROR.matcher(line).matches(), line);
    }
}
