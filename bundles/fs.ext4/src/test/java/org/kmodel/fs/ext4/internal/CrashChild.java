package org.kmodel.fs.ext4.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * The workload process of {@link Issue12KillNineCrashTest}: boots ext4 on root.img and xfs on data.img like the
 * distribution, then runs random writes, hole punches, truncates, KEEP_SIZE fallocates, fsyncs and syncs for
 * ever, printing each operation before it starts and "S file" / "S *" after an fsync / sync returned, until the
 * parent kills it with SIGKILL. Every byte it writes at offset o of file i is {@link #expected}(i, o).
 */
public final class CrashChild {
    static final int FILES = 8;
    static final int SPAN = 1 << 20;

    private CrashChild() {}

    /** The byte file {@code i} holds at {@code o} when written: never 0 and never the poison 0xCD. */
    static byte expected(int i, long o) {
        int h = 1 + (int) Math.floorMod(i * 131L + o * 7 + (o >>> 8) * 13, 254);
        return (byte) (h >= 0xCD ? h + 1 : h);
    }

    static String path(int i) {
        return (i < FILES / 2 ? "/f" : "/data/f") + i;
    }

    static Vfs boot(Path state, BlockDeviceFactory devs) {
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, new Ext4FsType(devs), TestXfs.fsType(devs));
        vfs.mount(state.resolve("root.img").toString(), "/", "ext4", "commit=1");
        try {
            vfs.mkdir("/data", 0755);
        } catch (KernelException e) {
            // made by an earlier run
        }
        vfs.mount(state.resolve("data.img").toString(), "/data", "xfs", "commit=1");
        return vfs;
    }

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        Random rnd = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        Vfs vfs = boot(state, TestBlockDevices.factory());
        out.println("READY");
        byte[] buf = new byte[16 << 10];
        while (true) {
            int i = rnd.nextInt(FILES);
            int op = rnd.nextInt(100);
            try (OpenFile f = vfs.open(path(i), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)) {
                if (op < 55) {
                    long off = rnd.nextInt(SPAN);
                    int len = 1 + rnd.nextInt(buf.length);
                    for (int k = 0; k < len; k++) {
                        buf[k] = expected(i, off + k);
                    }
                    out.println("W " + i + " " + off + " " + len);
                    f.pwrite(off, buf, 0, len);
                } else if (op < 62) {
                    long off = rnd.nextInt(SPAN);
                    long len = 1 + rnd.nextInt(64 << 10);
                    out.println("P " + i + " " + off + " " + len);
                    f.fallocate(0x03, off, len);
                } else if (op < 66) {
                    long size = rnd.nextInt(SPAN);
                    out.println("T " + i + " " + size);
                    f.ftruncate(size);
                } else if (op < 72) {
                    long off = rnd.nextInt(SPAN);
                    out.println("K " + i + " " + off);
                    f.fallocate(0x01, off, 1 + rnd.nextInt(64 << 10));
                } else if (op < 95) {
                    f.fsync();
                    out.println("S " + i);
                } else {
                    vfs.sync();
                    out.println("S *");
                }
            } catch (KernelException e) {
                out.println("E " + e.getMessage()); // ENOSPC and the like: the model says why, the run goes on
            }
        }
    }
}
