package org.kmodel.shell.internal.vfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.ext4.testing.TestExt4;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * The host side of the differential tests of xfs_io's bmap/statfs and filefrag: runs the real tool, finds a host
 * directory on ext4 or mounts an xfs loop image (root only, in a temp dir of its own), and builds the model's VFS
 * with the same filesystem at "/". Every test that uses it skips where the tool, the filesystem or root is missing.
 */
final class HostTools {
    private Path xfsMount;
    private Path xfsImageDir;

    static boolean has(String... probe) {
        try {
            return run(List.of(probe)) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** {stdout, stderr} of a host command. */
    static String[] output(List<String> cmd) throws Exception {
        Path o = Files.createTempFile("kmodel-shell2-out", "");
        Path e = Files.createTempFile("kmodel-shell2-err", "");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(o.toFile())
                    .redirectError(e.toFile())
                    .start();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String[] {
                Files.readString(o, StandardCharsets.ISO_8859_1), Files.readString(e, StandardCharsets.ISO_8859_1)
            };
        } finally {
            Files.deleteIfExists(o);
            Files.deleteIfExists(e);
        }
    }

    static int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** A host directory of filesystem {@code fs} ("ext4": under /tmp; "xfs": a fresh loop mount), or null. */
    Path hostDir(String fs) throws Exception {
        if (fs.equals("ext4")) {
            return mountedAs("/tmp", "ext4") ? Files.createTempDirectory(Path.of("/tmp"), "kmodel-shell2-") : null;
        }
        if (xfsMount != null) {
            return xfsMount;
        }
        if (!"root".equals(System.getProperty("user.name")) || !has("mkfs.xfs", "-V")) {
            return null;
        }
        Path dir = Files.createTempDirectory("kmodel-shell2-loop-");
        Path img = dir.resolve("x.img");
        Path mnt = Files.createDirectory(dir.resolve("m"));
        if (run(List.of("truncate", "-s", "512M", img.toString())) != 0
                || run(List.of("mkfs.xfs", "-q", img.toString())) != 0
                || run(List.of("mount", "-o", "loop", img.toString(), mnt.toString())) != 0) {
            run(List.of("rm", "-rf", dir.toString()));
            return null;
        }
        xfsImageDir = dir;
        xfsMount = mnt;
        return mnt;
    }

    void close(Path ext4Dir) throws Exception {
        if (ext4Dir != null && !ext4Dir.equals(xfsMount)) {
            run(List.of("rm", "-rf", ext4Dir.toString()));
        }
        if (xfsMount != null) {
            run(List.of("umount", xfsMount.toString()));
            run(List.of("rm", "-rf", xfsImageDir.toString()));
            xfsMount = null;
        }
    }

    /** The model's VFS with {@code fs} ("tmpfs", "ext4" or "xfs") mounted at "/", its image in {@code state}. */
    static Vfs model(String fs, Path state) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        switch (fs) {
            case "tmpfs" -> {
                Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
                vfs.mount("tmpfs", "/", "tmpfs", "");
                return vfs;
            }
            case "ext4" -> {
                TestExt4.mkfs(devs).mkfs(state.resolve("e.img"), 512L << 20, Map.of());
                Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType(), TestExt4.fsType(devs));
                vfs.mount(state.resolve("e.img").toString(), "/", "ext4", "");
                return vfs;
            }
            default -> {
                TestXfs.mkfs(devs).mkfs(state.resolve("x.img"), 512L << 20, Map.of());
                Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType(), TestXfs.fsType(devs));
                vfs.mount(state.resolve("x.img").toString(), "/", "xfs", "");
                return vfs;
            }
        }
    }

    /** Whether the filesystem holding {@code dir} (the longest mount point above it) is of {@code type}. */
    static boolean mountedAs(String dir, String type) throws IOException {
        String best = "";
        String bestType = null;
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2
                    && (dir.equals(f[1]) || dir.startsWith(f[1].endsWith("/") ? f[1] : f[1] + "/"))
                    && f[1].length() >= best.length()) {
                best = f[1];
                bestType = f[2];
            }
        }
        return type.equals(bestType);
    }

    /** What one scenario of {@link #xfsIoScenarios} gave on both sides. */
    @FunctionalInterface
    interface ScenarioCheck {
        /**
         * {@code commands} ran as {@code xfs_io -f -c ... FILE} on the host's {@code hostFile} (giving {stdout,
         * stderr} {@code host}) and as {@code args} on the model's {@code vfs}, on its file {@code modelFile}
         * (giving {@code model}).
         */
        void check(
                Vfs vfs,
                List<String> commands,
                List<String> args,
                Path hostFile,
                String modelFile,
                String[] host,
                XfsIo.Result model)
                throws Exception;
    }

    /**
     * The differential loop of the xfs_io and filefrag tests: each of {@code scenarios} (xfs_io commands) runs on a
     * fresh file {@code prefix}N through the real xfs_io in a host directory of {@code fs} and through the model's
     * xfs_io on a model of {@code fs}, then {@code check} compares the two. Skips where there is no host {@code fs}
     * (xfs needs root and mkfs.xfs); the host directory and the model's image go away afterwards.
     */
    static void xfsIoScenarios(String fs, String prefix, List<List<String>> scenarios, ScenarioCheck check)
            throws Exception {
        HostTools host = new HostTools();
        Path dir = host.hostDir(fs);
        Path state = Files.createTempDirectory("kmodel-" + prefix + "-");
        try {
            Assumptions.assumeTrue(dir != null, "no host " + fs + " (xfs needs root and mkfs.xfs)");
            Vfs vfs = model(fs, state);
            int n = 0;
            for (List<String> s : scenarios) {
                String name = prefix + n++;
                List<String> args = new ArrayList<>(List.of("-f"));
                s.forEach(c -> {
                    args.add("-c");
                    args.add(c);
                });
                List<String> real = new ArrayList<>(List.of("xfs_io"));
                real.addAll(args);
                real.add(dir.resolve(name).toString());
                String[] want = output(real);
                args.add("/" + name);
                XfsIo.Result got = XfsIo.run(vfs, args.toArray(String[]::new));
                check.check(vfs, s, args, dir.resolve(name), "/" + name, want, got);
            }
        } finally {
            host.close(fs.equals("ext4") ? dir : null);
            run(List.of("rm", "-rf", state.toString()));
        }
    }
}
