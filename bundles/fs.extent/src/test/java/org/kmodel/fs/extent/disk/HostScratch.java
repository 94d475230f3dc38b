package org.kmodel.fs.extent.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real filesystems of the host for the differential test: ext4 4k on /tmp when /tmp is ext4 with 4 KiB
 * blocks, and loop-mounted images made with mkfs.ext4 / mkfs.xfs (needs root, util-linux and xfsprogs).
 * {@link #dirFor} returns null with {@link #why} set when a filesystem cannot be had here.
 */
final class HostScratch {
    private final List<Path> mounts = new ArrayList<>();
    private final Path base;
    String why;

    HostScratch() throws IOException {
        base = Files.createTempDirectory("kmodel-fsx");
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** A directory on a real filesystem of the named geometry, or null (see {@link #why}). */
    Path dirFor(String fs) throws IOException {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            why = "not Linux";
            return null;
        }
        if (fs.equals("ext4-4k")) {
            String t = run("stat", "-f", "-c", "%T %S", base.toString());
            if (t != null && t.trim().equals("ext2/ext3 4096")) {
                return base;
            }
        }
        String[] mkfs =
                switch (fs) {
                    case "ext4-4k" -> new String[] {"mkfs.ext4", "-q", "-F"};
                    case "ext4-1k" -> new String[] {"mkfs.ext4", "-q", "-F", "-b", "1024"};
                    case "ext4-bigalloc64k" -> new String[] {"mkfs.ext4", "-q", "-F", "-O", "bigalloc", "-C", "65536"};
                    case "xfs-4k" -> new String[] {"mkfs.xfs", "-q", "-f"};
                    case "xfs-1k" -> new String[] {"mkfs.xfs", "-q", "-f", "-b", "size=1024"};
                    default -> throw new IllegalArgumentException(fs);
                };
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "loop mounts need root (running as " + System.getProperty("user.name") + ")";
            return null;
        }
        Path img = base.resolve(fs + ".img");
        Path mnt = base.resolve(fs);
        Files.createDirectories(mnt);
        try (var ch = java.nio.channels.FileChannel.open(
                img, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), (512L << 20) - 1);
        }
        String[] cmd = java.util.Arrays.copyOf(mkfs, mkfs.length + 1);
        cmd[mkfs.length] = img.toString();
        if (run(cmd) == null) {
            why = mkfs[0] + " failed or is not installed (xfs needs xfsprogs)";
            return null;
        }
        if (run("mount", "-o", "loop", img.toString(), mnt.toString()) == null) {
            why = "cannot loop-mount " + fs + " here";
            return null;
        }
        mounts.add(mnt);
        return mnt;
    }

    void cleanup() {
        for (Path m : mounts) {
            run("umount", m.toString());
        }
        run("rm", "-rf", base.toString());
    }
}
