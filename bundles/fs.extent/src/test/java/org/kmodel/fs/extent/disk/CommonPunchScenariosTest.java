package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;

/**
 * The extent-state cases of xfstests common/punch ({@code _test_generic_punch}: into a hole, into data, into
 * unwritten space, and every transition between them, at EOF, at 0, in a one-block file), each followed by
 * PUNCH, ZERO, COLLAPSE and INSERT, on the real kernel and on the model (the scenario structure is from the
 * suite; the steps are written here). Content, size and cold SEEK map must agree; block-size scaled like the
 * suite does. Skips where the real filesystems are not available.
 */
class CommonPunchScenariosTest {
    private static HostScratch host;

    /** Setup steps: w=pwrite, f=falloc -k, t=truncate; values in units of the block size. */
    private static final String[][] CASES = {
        {"1 into a hole", "t 0 5"},
        {"2 into allocated space", "w 0 5"},
        {"3 into unwritten space", "f 0 5", "t 0 5"},
        {"4 hole -> data", "w 2 3"},
        {"5 hole -> unwritten", "f 2 3", "t 0 5"},
        {"6 data -> hole", "w 0 2", "t 0 5"},
        {"7 data -> unwritten", "w 0 2", "f 2 3", "t 0 5"},
        {"8 unwritten -> hole", "f 0 2", "t 0 5"},
        {"9 unwritten -> data", "f 0 2", "w 2 3"},
        {"10 hole -> data -> hole", "w 2 1", "t 0 5"},
        {"11 data -> hole -> data", "w 0 1", "w 3 2"},
        {"12 unwritten -> data -> unwritten", "f 0 5", "w 2 1", "t 0 5"},
        {"13 data -> unwritten -> data", "w 0 1", "f 1 2", "w 3 2"},
        {"14 data -> hole @ EOF", "w 0 5", "op-eof"},
        {"15 data -> hole @ 0", "w 0 5", "op-zero"},
        {"16 data -> cache cold -> hole", "w 0 5", "sync"},
        {"17 data -> hole in single block file", "w 0 1", "op-single"},
    };

    private static final String[] OPS = {"PUNCH|KEEP", "ZERO", "ZERO|KEEP", "COLLAPSE", "INSERT"};

    @BeforeAll
    static void setUp() throws Exception {
        try {
            HostLibc.C.getpagesize();
        } catch (Throwable t) {
            Assumptions.abort("no libc via JNA: " + t);
        }
        host = new HostScratch();
    }

    @AfterAll
    static void tearDown() {
        if (host != null) {
            host.cleanup();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4-4k", "ext4-1k", "xfs-4k", "xfs-1k"})
    void everyCaseAgreesWithKernel(String fs) throws Exception {
        Path dir = host.dirFor(fs);
        Assumptions.assumeTrue(dir != null, () -> "skipped " + fs + ": " + host.why);
        FsProfile p = ModelProbe.profile(fs);
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(p, 64L << 20);
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String[] c : CASES) {
            for (String op : OPS) {
                String name = "f" + (n++);
                int fd = HostLibc.C.open(
                        dir.resolve(name).toString(), HostLibc.O_RDWR | HostLibc.O_CREAT | HostLibc.O_TRUNC, 0644);
                Inode model = sb.root().create(name, 0100644, 0);
                long bs = p.blockSize();
                long off = bs;
                long len = 2 * bs;
                for (int k = 1; k < c.length; k++) {
                    String[] s = c[k].split(" ");
                    switch (s[0]) {
                        case "w" -> {
                            byte[] data = new byte[(int) (Long.parseLong(s[2]) * bs)];
                            java.util.Arrays.fill(data, (byte) (k * 16 + 1));
                            HostLibc.C.pwrite(fd, data, data.length, Long.parseLong(s[1]) * bs);
                            DifferentialFsxTest.RealState.write(model, Long.parseLong(s[1]) * bs, data);
                        }
                        case "f" -> {
                            long o = Long.parseLong(s[1]) * bs;
                            long l = Long.parseLong(s[2]) * bs;
                            HostLibc.C.fallocate(fd, 1, o, l);
                            ModelProbe.run(model, "KEEP", o, l, Long.MAX_VALUE);
                        }
                        case "t" -> {
                            long to = Long.parseLong(s[2]) * bs;
                            HostLibc.C.ftruncate(fd, to);
                            model.setattr(AttrChange.size(to, 0));
                        }
                        case "op-eof" -> off = 3 * bs;
                        case "op-zero" -> off = 0;
                        case "op-single" -> {
                            off = bs / 2;
                            len = bs / 4;
                        }
                        default -> HostLibc.C.fsync(fd);
                    }
                }
                int m = ModelProbe.mode(op);
                String real = HostLibc.C.fallocate(fd, m, off, len) == 0
                        ? "OK"
                        : org.kmodel.kernel.Errno.of(com.sun.jna.Native.getLastError())
                                .name();
                String mine = ModelProbe.run(model, op, off, len, Long.MAX_VALUE);
                String r = real + " " + DifferentialFsxTest.RealState.describe(fd)[0];
                String me = mine + " size=" + model.getattr().size() + " seek=" + ModelProbe.seek(model) + " md5="
                        + DifferentialFsxTest.RealState.md5(ModelProbe.content(model));
                if (!r.equals(me)) {
                    failures.add(c[0] + " / " + op + ": kernel " + r + " model " + me);
                }
                HostLibc.C.close(fd);
            }
        }
        assertEquals(List.of(), failures, fs);
    }
}
