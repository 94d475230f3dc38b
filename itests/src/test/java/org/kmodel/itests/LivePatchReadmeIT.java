package org.kmodel.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Runs every {@code ./kmodel} line of the README's live patching section from the repository root (as a
 * reader would) with a throw-away state directory, and checks that each following {@code # text} line
 * appears in what it printed.
 */
public class LivePatchReadmeIT {
    @Test
    public void readmeExamplesRun() throws Exception {
        File root = LauncherIT.ROOT;
        List<String> readme = Files.readAllLines(new File(root, "README.md").toPath(), StandardCharsets.UTF_8);
        int start = readme.indexOf("## Live patching: kpatch, kGraft and livepatch (`livepatch` feature)");
        assertTrue("README has the live patching section", start >= 0);
        List<String[]> examples = new ArrayList<>();
        String cmd = null;
        List<String> expect = new ArrayList<>();
        for (int i = start + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            String l = readme.get(i);
            if (l.startsWith("./kmodel ")) {
                if (cmd != null) {
                    examples.add(new String[] {cmd, String.join("\n", expect)});
                }
                cmd = l;
                expect = new ArrayList<>();
            } else if (cmd != null && l.startsWith("# ")) {
                expect.add(l.substring(2));
            } else if (l.startsWith("```") && cmd != null) {
                examples.add(new String[] {cmd, String.join("\n", expect)});
                cmd = null;
            }
        }
        assertTrue("examples found", examples.size() >= 4);
        for (String[] ex : examples) {
            String out = run(root, ex[0]);
            for (String want : ex[1].split("\n")) {
                assertTrue(ex[0] + "\nprinted:\n" + out + "\nmissing: " + want, want.isEmpty() || out.contains(want));
            }
        }
    }

    private static String run(File root, String line) throws Exception {
        File state = Files.createTempDirectory("kmodel-livepatch-readme").toFile();
        ProcessBuilder pb = new ProcessBuilder(
                "bash",
                "-c",
                line.replaceFirst("^\\./kmodel ", "./kmodel --state '" + state.getPath() + "' ") + " 2>&1");
        pb.directory(root);
        pb.environment().put("KMODEL_NO_BUILD", "1");
        pb.redirectInput(new File("/dev/null"));
        File out = File.createTempFile("out", ".txt", state);
        pb.redirectOutput(out);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not exit: " + line);
        }
        String s = Files.readString(out.toPath());
        try (var paths = Files.walk(state.toPath())) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .map(java.nio.file.Path::toFile)
                    .forEach(File::delete);
        } catch (Exception e) {
            // best effort
        }
        return s;
    }
}
