package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;

/**
 * xfs with 1 KiB blocks: writeback converts the whole delalloc extent holding a dirty block, and only the dirty
 * blocks of a page are written (docs/xfs-format.md, "Sub-page blocks"). The scenario is the fsx divergence of
 * seed -761799198 (ops 16,425-16,431) made small: a write that starts where the last extent ends and crosses a
 * 64 KiB boundary after its first page (so its speculative preallocation grows from 192 to 256 blocks after
 * that page), ending inside a page; a truncate that grows the file over the preallocation; a write that starts
 * 936 bytes into the last block of a page inside it. The kernel reserves the second write's whole mapping at
 * once (xfs_buffered_write_iomap_begin) and its writeback turns all of it into one extent
 * (xfs_bmapi_convert_delalloc), the blocks past the written ones unwritten; the third write dirties two blocks.
 *
 * <p>Both orders in which the model can see the pages are run: {@code eager} writes each page back inside the
 * write call, right after its {@code ->write_begin} and {@code ->extendSize} (the fsx harness's order, and a
 * writeback racing the write), {@code afterCall} writes the dirty pages back after the call (the VFS's fsync).
 * Checked after every step: the kernel rule on the model's map (every block up to the end of the preallocation
 * mapped, no reservation left after writeback), and, as root with xfsprogs, size, cold SEEK map, content and
 * st_blocks exactly against the same steps on a loop-mounted xfs with 1 KiB blocks.
 */
class XfsSubPageWritebackTest {
    private static final int BS = 1024;
    private static final long[][] STEPS = {
        {0, 81920}, // write: 80 blocks, no preallocation (the file was smaller than 64 KiB)
        {81920, 60000}, // write: ends 160 bytes into block 138, inside the page of blocks 136-139
        {-1, 245760}, // truncate up to block 240, over the preallocation
        {208808, 1000}, // write: 936 bytes into block 203, the last block of the page of blocks 200-203
    };

    private static HostScratch host;
    private static Path hostDir;
    private static String hostWhy;

    @BeforeAll
    static void setUp() throws Exception {
        try {
            HostLibc.C.getpagesize();
        } catch (Throwable t) {
            hostWhy = "no libc via JNA: " + t;
            return;
        }
        host = new HostScratch();
        hostDir = host.dirFor("xfs-1k");
        hostWhy = host.why;
    }

    @AfterAll
    static void tearDown() {
        if (host != null) {
            host.cleanup();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"eager", "afterCall"})
    void writebackConvertsTheWholeDelallocExtent(String order) throws Exception {
        FsProfile p = ModelProbe.profile("xfs-1k");
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(p, 256L << 20);
        Inode model = sb.root().create("f", 0100644, 0);
        InodeData id = sb.inode(model.ino());
        int fd = -1;
        if (hostDir != null) {
            fd = HostLibc.C.open(
                    hostDir.resolve("f-" + order).toString(),
                    HostLibc.O_RDWR | HostLibc.O_CREAT | HostLibc.O_TRUNC,
                    0644);
        } else {
            System.out.println("XfsSubPageWritebackTest: kernel rule only, no host xfs (" + hostWhy + ")");
        }
        // xfs_iomap_prealloc_size for the second write: twice the 80 contiguous blocks before it, rounded down to
        // a power of two; the mapping ends there past the write's last byte rounded down to 64 KiB
        long pEnd = ((81920 + 60000 - 1) >> XfsPrealloc.ALLOCSIZE_LOG << XfsPrealloc.ALLOCSIZE_LOG) / BS
                + Long.highestOneBit(2 * 80);
        SplittableRandom rnd = new SplittableRandom(-761799198);
        try {
            for (long[] s : STEPS) {
                String what = (s[0] < 0 ? "truncate " + s[1] : "write " + s[0] + " " + s[1]) + " (" + order + ")";
                if (s[0] < 0) {
                    model.setattr(AttrChange.size(s[1], 0));
                    if (fd >= 0) {
                        assertEquals(0, HostLibc.C.ftruncate(fd, s[1]), "host ftruncate");
                    }
                } else {
                    byte[] data = new byte[(int) s[1]];
                    rnd.nextBytes(data);
                    data[0] = 1;
                    if (order.equals("eager")) {
                        DifferentialFsxTest.RealState.write(model, s[0], data);
                    } else {
                        writeThenWriteback(model, s[0], data);
                    }
                    if (fd >= 0) {
                        assertEquals(s[1], HostLibc.C.pwrite(fd, data, data.length, s[0]), "host pwrite");
                    }
                }
                model.fsync();
                if (fd >= 0) {
                    String[] real = DifferentialFsxTest.RealState.describe(fd);
                    String mine = "size=" + model.getattr().size() + " seek=" + ModelProbe.seek(model) + " md5="
                            + DifferentialFsxTest.RealState.md5(ModelProbe.content(model));
                    assertEquals(real[0], mine, what);
                    assertEquals(
                            Long.parseLong(real[1]),
                            model.getattr().blocks(),
                            what + ": st_blocks against the host, map "
                                    + id.data.map().all());
                }
                // the kernel rule: written back, nothing stays reserved; every block from 0 to the end of the
                // second write's preallocation is mapped (written or unwritten), none lost
                if (s[0] != 0) {
                    assertTrue(id.delalloc.isEmpty(), what + ": reservations left " + id.delalloc);
                    assertEquals(
                            List.of(),
                            holes(id, pEnd),
                            what + ": holes in [0, " + pEnd + "), map "
                                    + id.data.map().all());
                    assertEquals(pEnd * (BS / 512), model.getattr().blocks(), what + ": st_blocks");
                }
            }
        } finally {
            if (fd >= 0) {
                HostLibc.C.close(fd);
            }
        }
    }

    private static List<String> holes(InodeData id, long end) {
        List<String> out = new ArrayList<>();
        for (long[] h : id.data.map().holes(0, end)) {
            out.add(h[0] + "-" + (h[1] - 1));
        }
        return out;
    }

    /**
     * A write(2) as the VFS issues it (FileIo.write): {@code ->write_begin} and {@code ->extendSize} page by page,
     * {@code ->setattr} with the times at the end of the call; then the dirty pages are written back in index
     * order (vfs_fsync_range).
     */
    private static void writeThenWriteback(Inode f, long off, byte[] data) {
        int page = ModelProbe.PAGE;
        long end = off + data.length;
        List<byte[]> pages = new ArrayList<>();
        for (long pg = off / page; pg * page < end; pg++) {
            byte[] buf = new byte[page];
            f.readPage(pg, buf);
            long s = Math.max(off, pg * page);
            long t = Math.min(end, (pg + 1) * page);
            System.arraycopy(data, (int) (s - off), buf, (int) (s - pg * page), (int) (t - s));
            f.writeBegin(pg);
            f.extendSize(Math.max(f.getattr().size(), t));
            pages.add(buf);
        }
        f.setattr(AttrChange.modified(0));
        long size = f.getattr().size();
        long pg = off / page;
        for (byte[] buf : pages) {
            f.writePage(pg, buf, (int) Math.min(page, size - pg * page));
            pg++;
        }
    }
}
