package org.kmodel.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.junit.jupiter.api.Test;

/** Tab completion of command names and of each command's options (from the text 'help NAME' prints). */
class ShellCompleterTest {
    /** What 'help fallocate' and 'help trace-cmd' print (their util-linux style and usage-text style). */
    static final String FALLOCATE_HELP = """
            vfs:fallocate
               preallocate or deallocate space
               Options:
                -c, --collapse-range remove a range from the file
                -l, --length <num>   length for range operations, in bytes
                -V, --version        display version""";

    private static CommandSession session(List<String> executed) {
        return (CommandSession) Proxy.newProxyInstance(
                ShellCompleterTest.class.getClassLoader(),
                new Class<?>[] {CommandSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> {
                        executed.add((String) args[0]);
                        yield args[0].equals("help fallocate") ? FALLOCATE_HELP : null;
                    }
                    case "get" -> ".commands".equals(args[0]) ? List.of("vfs:fallocate", "trace:trace-cmd") : null;
                    default -> null;
                });
    }

    private static ParsedLine line(String... words) {
        String last = words[words.length - 1];
        return (ParsedLine) Proxy.newProxyInstance(
                ShellCompleterTest.class.getClassLoader(),
                new Class<?>[] {ParsedLine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "word" -> last;
                    case "wordCursor" -> last.length();
                    case "wordIndex" -> words.length - 1;
                    case "words" -> List.of(words);
                    case "line" -> String.join(" ", words);
                    case "cursor" -> String.join(" ", words).length();
                    default -> null;
                });
    }

    private static List<String> complete(ShellCompleter c, String... words) {
        List<Candidate> out = new ArrayList<>();
        c.complete(null, line(words), out);
        return out.stream().map(Candidate::value).toList();
    }

    @Test
    void commandNamesAndOptions() {
        List<String> executed = new ArrayList<>();
        ShellCompleter c = new ShellCompleter(session(executed), null);
        List<String> names = complete(c, "tra");
        assertTrue(
                names.contains("trace-cmd") && names.contains("trace:trace-cmd") && names.contains("fallocate"),
                names.toString());
        assertEquals(
                List.of("--collapse-range", "--length", "--version", "-V", "-c", "-l"), complete(c, "fallocate", "-"));
        complete(c, "fallocate", "--");
        assertEquals(List.of("help fallocate"), executed, "the help text is asked for once per command");
        assertEquals(List.of(), complete(c, "trace-cmd", "-"), "no help text: no candidates, no failure");
        assertEquals(List.of(), complete(c, "fallocate", "/tmp/"), "no file system: no path candidates");
    }
}
