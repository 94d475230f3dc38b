package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.vfs.internal.Fixture.errno;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.OpenFlags;

class PathWalkTest {
    private final Fixture fx = new Fixture();
    private final VfsCore vfs = fx.vfs;

    @Test
    void absoluteRelativeDotAndDotDot() {
        vfs.mkdir("/a", 0755);
        vfs.mkdir("/a/b", 0755);
        vfs.open("/a/b/f", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        vfs.chdir("/a");
        assertEquals("/a", vfs.getcwd());
        assertEquals(vfs.stat("/a/b/f").ino(), vfs.stat("b/./f").ino());
        assertEquals(vfs.stat("/a/b/f").ino(), vfs.stat("../a/b/../b/f").ino());
        assertEquals(vfs.stat("/").ino(), vfs.stat("/../../..").ino());
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.stat("/a/b/f/x")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.stat("/a/b/f/")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.stat("/a/nope")));
    }

    @Test
    void symlinksAndLoops() {
        vfs.mkdir("/d", 0755);
        vfs.open("/d/target", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        vfs.symlink("target", "/d/rel");
        vfs.symlink("/d", "/abs");
        assertEquals(vfs.stat("/d/target").ino(), vfs.stat("/d/rel").ino());
        assertEquals(vfs.stat("/d/target").ino(), vfs.stat("/abs/rel").ino());
        assertTrue(vfs.lstat("/d/rel").type() == org.kmodel.vfs.FileType.SYMLINK);
        vfs.symlink("loop2", "/loop1");
        vfs.symlink("loop1", "/loop2");
        assertEquals(Errno.ELOOP, errno(() -> vfs.stat("/loop1")));
        assertEquals(Errno.ELOOP, errno(() -> vfs.open("/d/rel", OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW, 0)));
        // a chain of 40 links resolves, 41 do not (MAXSYMLINKS)
        vfs.symlink("/d/target", "/c0");
        for (int i = 1; i <= 40; i++) {
            vfs.symlink("/c" + (i - 1), "/c" + i);
        }
        assertEquals(vfs.stat("/d/target").ino(), vfs.stat("/c39").ino());
        assertEquals(Errno.ELOOP, errno(() -> vfs.stat("/c40")));
    }

    @Test
    void namesTooLong() {
        String longName = "x".repeat(256);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.mkdir("/" + longName, 0755)));
        vfs.mkdir("/" + "y".repeat(255), 0755);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.stat("/a/".repeat(1400))));
    }

    @Test
    void mountCrossingBothWays() {
        MemFs other = new MemFs("other");
        vfs.registerFilesystem(other, 0, 2);
        vfs.mkdir("/mnt", 0755);
        vfs.mount("src", "/mnt", "other", "");
        vfs.mkdir("/mnt/inner", 0755);
        assertEquals(vfs.stat("/").ino(), vfs.stat("/mnt/inner/../..").ino());
        assertTrue(vfs.stat("/mnt").dev() != vfs.stat("/").dev());
        assertEquals(
                List.of("inner"),
                vfs.readdir("/mnt").stream().map(DirEntry::name).toList());
        assertEquals(Errno.EXDEV, errno(() -> vfs.rename("/mnt/inner", "/inner")));
        assertEquals(Errno.EBUSY, errno(() -> vfs.rmdir("/mnt")));
        vfs.umount("/mnt");
        assertTrue(vfs.readdir("/mnt").isEmpty());
        assertEquals(Errno.EINVAL, errno(() -> vfs.umount("/mnt")));
    }

    @Test
    void renameLinkUnlinkRules() {
        vfs.mkdir("/d", 0755);
        vfs.mkdir("/d/sub", 0755);
        vfs.open("/f", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        vfs.link("/f", "/g");
        assertEquals(2, vfs.stat("/f").nlink());
        assertEquals(Errno.EEXIST, errno(() -> vfs.link("/f", "/g")));
        assertEquals(Errno.EPERM, errno(() -> vfs.link("/d", "/e")));
        assertEquals(Errno.EINVAL, errno(() -> vfs.rename("/d", "/d/sub/x")));
        assertEquals(Errno.EISDIR, errno(() -> vfs.rename("/f", "/d")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.rename("/d", "/f")));
        assertEquals(Errno.ENOTEMPTY, errno(() -> vfs.rmdir("/d")));
        assertEquals(Errno.EISDIR, errno(() -> vfs.unlink("/d")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.rmdir("/f")));
        vfs.rename("/g", "/d/g");
        assertEquals(vfs.stat("/f").ino(), vfs.stat("/d/g").ino());
        vfs.unlink("/f");
        assertEquals(1, vfs.stat("/d/g").nlink());
        assertEquals(Errno.EEXIST, errno(() -> vfs.mkdir("/d/sub", 0755)));
    }
}
