package org.kmodel.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the repository's ./kmodel as a user does, for the issue 12 end-to-end tests. */
final class Issue12Kmodel {
    static final File ROOT = LauncherIT.ROOT;
    static final File MODULES = new File(ROOT, "distribution/target/kmodel/lib/modules/3.15.0-kmodel");

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\nstdout:\n" + out + "stderr:\n" + err;
        }
    }

    private Issue12Kmodel() {}

    static ProcessBuilder builder(Path state, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(new File(ROOT, "kmodel").getPath());
        cmd.add("--state");
        cmd.add(state.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KMODEL_NO_BUILD", "1");
        return pb;
    }

    static Run run(Path state, String... args) throws Exception {
        ProcessBuilder pb = builder(state, args);
        Path out = Files.createTempFile("kmodel-out", ".txt");
        Path err = Files.createTempFile("kmodel-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kmodel did not exit: " + pb.command());
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
