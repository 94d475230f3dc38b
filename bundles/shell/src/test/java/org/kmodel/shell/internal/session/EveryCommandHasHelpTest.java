package org.kmodel.shell.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/**
 * Every command the shell bundle registers (each {@code osgi.command.function} of its components, read from the
 * sources) is found by {@code help NAME}: a method Gogo calls (the name, or {@code _main} for a hyphenated one),
 * a description, and a description of every parameter, so {@code help NAME} prints what the command takes and
 * the console can complete its options from it.
 */
class EveryCommandHasHelpTest {
    private static final Pattern FUNCTION = Pattern.compile("osgi\\.command\\.function=([\\w-]+)");

    @Test
    void everyRegisteredCommandIsDescribed() throws Exception {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        Path root = Path.of("src/main/java");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            if (!text.contains("@Component(")) {
                continue;
            }
            String className =
                    root.relativize(source).toString().replace('/', '.').replaceAll("\\.java$", "");
            Class<?> type = Class.forName(className);
            Matcher m = FUNCTION.matcher(text);
            while (m.find()) {
                String name = m.group(1);
                commands++;
                List<Method> methods = HelpCommand.methods(type, name);
                if (methods.isEmpty()) {
                    problems.add(name + ": no method Gogo can call in " + type.getSimpleName());
                    continue;
                }
                boolean described = false;
                for (Method method : methods) {
                    described |= method.getAnnotation(Descriptor.class) != null;
                    for (Parameter p : method.getParameters()) {
                        if (p.getType() != CommandSession.class && p.getAnnotation(Descriptor.class) == null) {
                            problems.add(name + ": parameter " + p.getName() + " of " + method + " has no description");
                        }
                    }
                }
                if (!described && HelpCommand.usage(type) == null) {
                    problems.add(name + ": no @Descriptor and no USAGE");
                }
            }
        }
        assertTrue(commands > 50, "commands found: " + commands);
        assertEquals(List.of(), problems);
    }
}
