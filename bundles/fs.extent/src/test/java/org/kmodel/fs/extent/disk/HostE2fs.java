package org.kmodel.fs.extent.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's e2fsprogs (e2fsck, debugfs, mkfs.ext4) as test oracles; absent tools make tests skip. */
final class HostE2fs {
    record Result(int rc, String out) {}

    private HostE2fs() {}

    static boolean available() {
        return run("e2fsck", "-V").rc() == 0 && run("debugfs", "-V").rc() == 0;
    }

    static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** e2fsck -fn: exit 0 and no complaint. */
    static Result fsck(Path img) {
        return run("e2fsck", "-fn", img.toString());
    }

    static Result debugfs(Path img, String request) {
        return run("debugfs", "-R", request, img.toString());
    }

    /** debugfs dump of a file, as bytes. */
    static byte[] dump(Path img, String path) throws IOException {
        Path out = Files.createTempFile("kmodel-dump", ".bin");
        try {
            Result r = debugfs(img, "dump " + path + " " + out);
            if (r.rc() != 0) {
                throw new IOException(r.out());
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
