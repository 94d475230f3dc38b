package org.kmodel.fs.extent.disk;

import java.util.List;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;

/**
 * The fallocate-probe {@code fa} tool, over the model: makes files the same way and prints size, st_blocks,
 * the SEEK_DATA map (cold cache: written extents only) and the content runs in fa's notation, so the model
 * can be compared with results recorded on the real kernel.
 */
final class ModelProbe {
    static final int PAGE = DiskInode.PAGE_SIZE;

    static FsProfile profile(String fs) {
        return switch (fs) {
            case "ext4-4k" -> FsProfile.ext4(4096, 4096);
            case "ext4-1k" -> FsProfile.ext4(1024, 1024);
            case "ext4-bigalloc64k" -> FsProfile.ext4(4096, 65536);
            case "xfs-4k" -> FsProfile.xfs(4096);
            case "xfs-1k" -> FsProfile.xfs(1024);
            case "xfs-512" -> FsProfile.xfs(512);
            case "xfs-64k" -> FsProfile.xfs(65536);
            default -> throw new IllegalArgumentException(fs);
        };
    }

    static DiskSuperBlock mkfsAndMount(FsProfile p, long size) {
        BlockDevice dev = TestBlockDevices.memory("ram-" + p.type(), size, 512);
        DiskSuperBlock.mkfs(dev, p);
        return DiskSuperBlock.mount(dev, p.type(), KernelRelease.V6_18, 0, "");
    }

    static long mark(long off) {
        return (0xA5L << 56) | off;
    }

    /** Writes [from, to) with the pattern words (every 8-byte word holds 0xA5 << 56 | its offset, LE). */
    static void writePattern(Inode f, long from, long to) {
        for (long page = from / PAGE; page * PAGE < to; page++) {
            byte[] buf = new byte[PAGE];
            f.readPage(page, buf);
            long start = Math.max(from, page * PAGE);
            long end = Math.min(to, (page + 1) * PAGE);
            for (long o = start; o < end; o++) {
                long word = mark(o & ~7L);
                buf[(int) (o - page * PAGE)] = (byte) (word >>> (8 * (o & 7)));
            }
            long size = Math.max(f.getattr().size(), end);
            f.writePage(page, buf, (int) Math.min(PAGE, size - page * PAGE));
            f.extendSize(size);
        }
    }

    static Inode mk(DiskSuperBlock sb, String name, String kind, long size) {
        Inode f = sb.root().create(name, 0100644, 0);
        switch (kind) {
            case "pattern" -> writePattern(f, 0, size);
            case "halfsparse" -> {
                f.extendSize(size);
                writePattern(f, size / 2, size);
            }
            default -> f.extendSize(size);
        }
        return f;
    }

    static int mode(String m) {
        if (m.equals("0")) {
            return 0;
        }
        int mode = 0;
        for (String t : m.split("\\|")) {
            mode |= switch (t) {
                case "KEEP" -> 0x01;
                case "PUNCH" -> 0x02;
                case "COLLAPSE" -> 0x08;
                case "ZERO" -> 0x10;
                case "INSERT" -> 0x20;
                case "UNSHARE" -> 0x40;
                default -> throw new IllegalArgumentException(t);
            };
        }
        return mode;
    }

    /** One fallocate as the VFS issues it (check, then the call); returns "OK" or the errno name. */
    static String run(Inode f, String mode, long off, long len, long fsize) {
        FallocateRequest r =
                new FallocateRequest(mode(mode), off, len, f.getattr().size(), fsize);
        try {
            f.fallocateCheck(r);
            f.fallocate(r);
            return "OK";
        } catch (KernelException e) {
            return e.errno().name();
        }
    }

    static byte[] content(Inode f) {
        long size = f.getattr().size();
        byte[] all = new byte[(int) size];
        byte[] page = new byte[PAGE];
        for (long p = 0; p * PAGE < size; p++) {
            f.readPage(p, page);
            System.arraycopy(page, 0, all, (int) (p * PAGE), (int) Math.min(PAGE, size - p * PAGE));
        }
        return all;
    }

    /** fa's SEEK_DATA/SEEK_HOLE map for a cold page cache: written extents inside EOF, merged. */
    static String seek(Inode f) {
        long size = f.getattr().size();
        StringBuilder b = new StringBuilder();
        long segStart = -1;
        long segEnd = -1;
        List<FiemapExtent> ext = f.mapExtents(0, Long.MAX_VALUE);
        for (FiemapExtent e : ext) {
            if (e.unwritten() || e.logical() >= size) {
                continue;
            }
            long s = e.logical();
            long t = Math.min(size, e.end());
            if (s == segEnd) {
                segEnd = t;
            } else {
                if (segStart >= 0) {
                    b.append(b.length() == 0 ? "" : " ")
                            .append('D')
                            .append(segStart)
                            .append('-')
                            .append(segEnd);
                }
                segStart = s;
                segEnd = t;
            }
        }
        if (segStart >= 0) {
            b.append(b.length() == 0 ? "" : " ")
                    .append('D')
                    .append(segStart)
                    .append('-')
                    .append(segEnd);
        }
        return b.toString();
    }

    /** fa's content runs: Z zeros, @q pattern from original offset q, X other data. */
    static String contentRuns(byte[] buf) {
        StringBuilder out = new StringBuilder();
        long nw = buf.length / 8;
        long runStart = 0;
        int runCls = -1;
        long runDelta = 0;
        for (long i = 0; i <= nw; i++) {
            int cls;
            long delta = 0;
            if (i == nw) {
                cls = -2;
            } else {
                long v = 0;
                for (int k = 7; k >= 0; k--) {
                    v = (v << 8) | (buf[(int) (i * 8 + k)] & 0xff);
                }
                if (v == 0) {
                    cls = 0;
                } else if ((v >>> 56) == 0xA5) {
                    cls = 1;
                    delta = (v & 0x00FFFFFFFFFFFFFFL) - i * 8;
                } else {
                    cls = 2;
                }
            }
            if (cls != runCls || (cls == 1 && delta != runDelta)) {
                if (runCls >= 0) {
                    out.append(out.length() == 0 ? "" : " ")
                            .append(runStart)
                            .append('-')
                            .append(i * 8)
                            .append(':');
                    out.append(runCls == 0 ? "Z" : runCls == 2 ? "X" : "@" + (runStart + runDelta));
                }
                runStart = i * 8;
                runCls = cls;
                runDelta = delta;
            }
        }
        if (buf.length % 8 != 0) {
            boolean allZero = true;
            for (long k = nw * 8; k < buf.length; k++) {
                allZero &= buf[(int) k] == 0;
            }
            out.append(out.length() == 0 ? "" : " ")
                    .append(nw * 8)
                    .append('-')
                    .append(buf.length)
                    .append(':')
                    .append(allZero ? "Z" : "x");
        }
        return out.toString();
    }
}
