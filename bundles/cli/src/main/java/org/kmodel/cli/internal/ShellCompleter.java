package org.kmodel.cli.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the kernel shell: the first word from the registered command names, a word starting with
 * {@code -} from the options that the command's help text names, any other word from the model's paths (never
 * the host's: directories are listed through kmodel's file system, relative to the session's directory).
 */
final class ShellCompleter implements Completer {
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)");

    private final CommandSession session;
    private final FileSystem fs;
    private final Map<String, List<String>> options = new ConcurrentHashMap<>();

    ShellCompleter(CommandSession session, FileSystem fs) {
        this.session = session;
        this.fs = fs;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        if (line.wordIndex() == 0) {
            for (String name : commands()) {
                candidates.add(new Candidate(name, name, null, null, null, null, true));
            }
            return;
        }
        if (word.startsWith("-")) {
            for (String o : options(line.words().get(0))) {
                candidates.add(new Candidate(o, o, null, null, null, null, true));
            }
            return;
        }
        paths(word, candidates);
    }

    /** Command names, unscoped and scoped, from the session's {@code .commands}. */
    Collection<String> commands() {
        TreeSet<String> names = new TreeSet<>();
        Object all = session.get(".commands");
        if (all instanceof Collection<?> c) {
            for (Object o : c) {
                String s = String.valueOf(o);
                names.add(s);
                names.add(s.substring(s.indexOf(':') + 1));
            }
        }
        return names;
    }

    /** The options a command's help text mentions ({@code -l}, {@code --json}), cached per command. */
    List<String> options(String command) {
        return options.computeIfAbsent(command, c -> {
            TreeSet<String> found = new TreeSet<>();
            try {
                Object help = session.execute("help " + c.replaceAll("[^\\w:-]", ""));
                if (help != null) {
                    found.addAll(optionsIn(String.valueOf(help)));
                }
            } catch (Exception e) {
                // no help for it: no option candidates
            }
            return List.copyOf(found);
        });
    }

    static List<String> optionsIn(String text) {
        TreeSet<String> found = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return List.copyOf(found);
    }

    private void paths(String word, List<Candidate> candidates) {
        if (fs == null) {
            return;
        }
        int slash = word.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : word.substring(0, slash + 1);
        String prefix = word.substring(slash + 1);
        Path cwd = session.currentDir();
        Path dir = dirPart.isEmpty()
                ? (cwd != null && cwd.getFileSystem() == fs ? cwd : fs.getPath("/"))
                : (cwd != null && cwd.getFileSystem() == fs ? cwd.resolve(dirPart) : fs.getPath(dirPart));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || name.startsWith(".") && !prefix.startsWith(".")) {
                    continue;
                }
                boolean isDir = Files.isDirectory(p);
                String value = dirPart + name + (isDir ? "/" : "");
                candidates.add(new Candidate(value, name + (isDir ? "/" : ""), null, null, null, null, !isDir));
            }
        } catch (IOException | RuntimeException e) {
            // not a directory of the model: nothing to offer
        }
    }
}
