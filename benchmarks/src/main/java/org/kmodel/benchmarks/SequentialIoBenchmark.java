package org.kmodel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.ext4.testing.TestExt4;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 13: 1 GiB written sequentially through the VFS page cache to ext4 on an image file, then fsync; and
 * read back cold (after umount and mount, so nothing is cached in kmodel). One shot each; MB/s = 1024 / s.
 * Compare with the host's dd on the same disk (docs/ext4-ondisk.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class SequentialIoBenchmark {
    private static final long GIB = 1L << 30;
    private Path dir;
    private Path img;
    private BlockDeviceFactory devs;
    private Vfs vfs;

    @Setup(Level.Iteration)
    public void mount() throws IOException {
        dir = Files.createTempDirectory("kmodel-seq");
        img = dir.resolve("ext4.img");
        devs = TestBlockDevices.factory();
        TestExt4.mkfs(devs).mkfs(img, 3 * GIB, Map.of());
        vfs = TestVfs.boot(KernelRelease.V6_18, TestExt4.fsType(devs));
        vfs.mount(img.toString(), "/", "ext4", "commit=0");
    }

    @Benchmark
    public long writeAndFsync1GiB() {
        byte[] buf = new byte[1 << 20];
        OpenFile f = vfs.open("/seq", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        for (long off = 0; off < GIB; off += buf.length) {
            buf[0] = (byte) off;
            f.pwrite(off, buf, 0, buf.length);
        }
        f.fsync();
        f.close();
        return GIB;
    }

    @Benchmark
    public long coldRead1GiB() {
        writeAndFsync1GiB();
        vfs.umount("/");
        vfs.mount(img.toString(), "/", "ext4", "commit=0");
        long t0 = System.nanoTime();
        OpenFile f = vfs.open("/seq", OpenFlags.O_RDONLY, 0);
        byte[] buf = new byte[1 << 20];
        long n = 0;
        for (long off = 0; off < GIB; off += buf.length) {
            n += f.pread(off, buf, 0, buf.length);
        }
        f.close();
        System.out.printf("cold read 1 GiB: %.0f MB/s%n", GIB / 1e6 / ((System.nanoTime() - t0) / 1e9));
        return n;
    }

    @TearDown(Level.Iteration)
    public void umount() throws IOException {
        vfs.umount("/");
        try (var s = Files.list(dir)) {
            for (Path q : s.toList()) {
                Files.delete(q);
            }
        }
        Files.delete(dir);
    }
}
