package org.kmodel.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.ext4.testing.TestExt4;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 13: one 4 KiB write + fsync of a small file, on an empty filesystem and with another file of 200,000
 * extents (4 KiB allocated every 8 KiB) on the same filesystem. A commit that costs what it changed keeps the
 * ratio near 1 (target <= 1.5; issue 13 measured 18 on main, the host kernel about 1.1). The kmodel cases run
 * through the VFS on a 2 GiB sparse image in {@code java.io.tmpdir} (the image's fsync is the host's); the
 * host cases do the same with the host kernel, in the same run: ext4 in {@code java.io.tmpdir} (ext4 here) and
 * xfs on a loop-mounted image (root and xfsprogs; the case fails its setup with the reason otherwise).
 *
 * <pre>
 * mvn -B -o package -pl benchmarks -am -DskipTests
 * java -jar benchmarks/target/benchmarks.jar FsyncBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FsyncBenchmark {
    static final int EXTENTS = 200_000;

    @Param({
        "kmodel-xfs:empty",
        "kmodel-xfs:200k",
        "kmodel-ext4:empty",
        "kmodel-ext4:200k",
        "host-ext4:empty",
        "host-ext4:200k",
        "host-xfs:empty",
        "host-xfs:200k"
    })
    public String fs;

    private Path dir;
    private Path mnt;
    private Vfs vfs;
    private OpenFile small;
    private FileChannel hostSmall;
    private final byte[] page = new byte[4096];

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        String[] p = fs.split(":");
        boolean busy = p[1].equals("200k");
        dir = Files.createTempDirectory("kmodel-fsync");
        if (p[0].startsWith("kmodel-")) {
            String type = p[0].substring("kmodel-".length());
            Path img = dir.resolve(type + ".img");
            BlockDeviceFactory devs = TestBlockDevices.factory();
            if (type.equals("xfs")) {
                TestXfs.mkfs(devs).mkfs(img, 2L << 30, Map.of());
            } else {
                TestExt4.mkfs(devs).mkfs(img, 2L << 30, Map.of());
            }
            vfs = TestVfs.boot(KernelRelease.V6_18, TestExt4.fsType(devs), TestXfs.fsType(devs));
            vfs.mount(img.toString(), "/", type, "commit=0");
            if (busy) {
                OpenFile big = vfs.open("/big", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
                for (long e = 0; e < EXTENTS; e++) {
                    big.fallocate(0, e * 8192, 4096);
                }
                big.fsync();
                big.close();
            }
            small = vfs.open("/small", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
            small.pwrite(0, page, 0, page.length);
            small.fsync();
            settleHost();
            return;
        }
        Path root = dir;
        if (p[0].equals("host-xfs")) {
            Path img = dir.resolve("xfs.img");
            try (FileChannel c = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.allocate(1), (4L << 30) - 1);
            }
            mnt = Files.createDirectory(dir.resolve("mnt"));
            run("mkfs.xfs", "-q", "-f", img.toString());
            run("mount", "-o", "loop", img.toString(), mnt.toString());
            root = mnt;
        }
        if (busy) {
            // posix_fallocate of 4 KiB every 8 KiB: one unwritten extent each, as the kmodel case
            run(
                    "python3",
                    "-c",
                    "import os,sys\nfd=os.open(sys.argv[1],os.O_CREAT|os.O_WRONLY,0o644)\n" + "for i in range("
                            + EXTENTS + "): os.posix_fallocate(fd,i*8192,4096)\nos.fsync(fd)",
                    root.resolve("big").toString());
        }
        hostSmall = FileChannel.open(root.resolve("small"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        hostSmall.write(ByteBuffer.wrap(page), 0);
        hostSmall.force(true);
        settleHost();
    }

    /**
     * syncfs of the host filesystem holding the images: what setup or the previous trial left to the host (the
     * writeback of mkfs and of the 200k file, the journal commit of a deleted image and, on a filesystem mounted
     * with {@code discard} as /tmp is here, the discard of its blocks) completes before measuring, not inside
     * the next trial's fsyncs. Without it the second of two trials was the slower one whichever case it ran
     * (2026-12-04: empty then 200k 1.76, 200k then empty 0.80), which is what the ratio is meant to compare.
     */
    private void settleHost() throws IOException, InterruptedException {
        run("sync", "-f", dir.toString());
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes());
        if (pr.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    @Benchmark
    public int write4kAndFsync() throws IOException {
        page[0]++;
        if (small != null) {
            small.pwrite(0, page, 0, page.length);
            small.fsync();
            return page[0];
        }
        hostSmall.write(ByteBuffer.wrap(page), 0);
        hostSmall.force(true);
        return page[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        if (small != null) {
            small.close();
            vfs.umount("/");
        }
        if (hostSmall != null) {
            hostSmall.close();
        }
        if (mnt != null) {
            run("umount", mnt.toString());
        }
        try (var s = Files.walk(dir)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
        // the deletion's journal commit (and discards) in the teardown, not in the next trial
        run("sync", "-f", dir.getParent().toString());
    }
}
