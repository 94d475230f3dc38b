package org.kmodel.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6 performance target: tmpfs punch and allocate cost grows with the pages in the range, not with the file
 * size. Each invocation punches {@code rangePages} pages out of a fully allocated file of {@code filePages}
 * pages and allocates them back (PUNCH_HOLE|KEEP_SIZE then KEEP_SIZE), through the whole VFS path
 * (vfs_fallocate checks, page cache writeback/invalidate of the range, shmem). Compare rows with equal
 * rangePages and different filePages: they should match; rows with 16x the range should cost about 16x.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TmpfsPunchBenchmark {
    private static final int PS = 4096;

    @Param({"256", "65536"})
    public int filePages;

    @Param({"16", "256"})
    public int rangePages;

    private OpenFile file;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() {
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
        vfs.mount("tmpfs", "/", "tmpfs", "size=1g");
        file = vfs.open("/f", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        file.fallocate(0, 0, (long) filePages * PS);
        offset = (long) (filePages / 2 - rangePages / 2) * PS;
    }

    @Benchmark
    public long punchThenAllocate() {
        long len = (long) rangePages * PS;
        file.fallocate(FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE, offset, len);
        file.fallocate(FallocateMode.KEEP_SIZE, offset, len);
        return file.fstat().blocks();
    }
}
