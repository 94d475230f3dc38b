package org.kmodel.fs.jbd2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** e2fsprogs and the host kernel as oracles; every method says why it cannot run instead of failing. */
final class HostTools {
    /** Output and exit status of a command. */
    record Run(int rc, String out) {}

    private HostTools() {}

    static Run run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timeout: " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), out);
        } catch (IOException | InterruptedException e) {
            return new Run(-1, e.toString());
        }
    }

    /** Null when mkfs.ext4, e2fsck and debugfs all run here, else the reason. */
    static String e2fsprogsMissing() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        for (String t : new String[] {"mkfs.ext4", "e2fsck", "debugfs"}) {
            if (run(t, "-V").rc() < 0) {
                return t + " not installed (e2fsprogs)";
            }
        }
        return null;
    }

    /** Null when this process may loop-mount (root), else the reason. */
    static String loopMountMissing() {
        Run id = run("id", "-u");
        return id.rc() == 0 && id.out().trim().equals("0") ? null : "loop mounts need root";
    }

    static void mkfsExt4(Path image, long size, int blockSize) throws IOException {
        Files.deleteIfExists(image);
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        Run r = run("mkfs.ext4", "-q", "-F", "-b", String.valueOf(blockSize), image.toString());
        if (r.rc() != 0) {
            throw new IOException("mkfs.ext4: " + r.out());
        }
    }

    /** The journal inode's blocks in logical order (debugfs "blocks <8>"). */
    static long[] journalBlocks(Path image) throws IOException {
        Run r = run("debugfs", "-R", "blocks <8>", image.toString());
        String[] words = r.out()
                .lines()
                .filter(l -> !l.startsWith("debugfs"))
                .reduce("", (a, b) -> a + " " + b)
                .trim()
                .split("\\s+");
        long[] m = Arrays.stream(words)
                .filter(w -> w.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .toArray();
        if (m.length < 1024) {
            throw new IOException("debugfs blocks <8>: " + r.out());
        }
        return m;
    }

    /** {@code n} free blocks from the block bitmap (debugfs "ffb"). */
    static long[] freeBlocks(Path image, int n, long goal) throws IOException {
        Run r = run("debugfs", "-R", "ffb " + n + " " + goal, image.toString());
        String line = r.out()
                .lines()
                .filter(l -> l.startsWith("Free blocks found:"))
                .findFirst()
                .orElseThrow(() -> new IOException("debugfs ffb: " + r.out()));
        return Arrays.stream(
                        line.substring("Free blocks found:".length()).trim().split("\\s+"))
                .mapToLong(Long::parseLong)
                .toArray();
    }
}
