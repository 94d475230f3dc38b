package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;

/**
 * kmodel's {@code mkfs -t ext4} against the host's mke2fs for the same size and geometry: the feature line
 * and the key fields of {@code dumpe2fs -h} are equal, so is every group's layout (superblock copies,
 * descriptors, reserved GDT blocks, bitmaps, inode tables), and e2fsck -fn is clean.
 */
class Ext4MkfsDefaultsTest {
    @TempDir
    Path dir;

    static final String[] KEYS = {
        "Filesystem features",
        "Inode count",
        "Block count",
        "Reserved block count",
        "Block size",
        "Cluster size",
        "Reserved GDT blocks",
        "Blocks per group",
        "Clusters per group",
        "Inodes per group",
        "Inode blocks per group",
        "Flex block group size",
        "First block",
        "First inode",
        "Inode size",
        "Required extra isize",
        "Desired extra isize",
        "Default directory hash",
        "Journal backup",
        "Total journal size",
        "Journal features",
        "Default mount options",
        "Free blocks",
        "Free inodes"
    };

    static List<String> fields(Path img) {
        HostE2fs.Result r = HostE2fs.run("dumpe2fs", "-h", img.toString());
        List<String> out = new ArrayList<>();
        for (String key : KEYS) {
            String v = "(absent)";
            for (String line : r.out().lines().toList()) {
                if (line.startsWith(key + ":")) {
                    v = line.substring(key.length() + 1).trim();
                }
            }
            out.add(key + ": " + v);
        }
        return out;
    }

    /** Where dumpe2fs finds each group's superblock copy, descriptors, reserved GDT, bitmaps and inode table. */
    static String layout(Path img) {
        StringBuilder b = new StringBuilder();
        for (String line :
                HostE2fs.run("dumpe2fs", img.toString()).out().lines().toList()) {
            String t = line.trim();
            if (t.matches("Group [0-9]+:.*")
                    || t.contains("superblock at")
                    || t.startsWith("Reserved GDT blocks at")
                    || t.startsWith("Block bitmap at")
                    || t.startsWith("Inode bitmap at")
                    || t.startsWith("Inode table at")) {
                b.append(t.replaceAll(", csum 0x[0-9a-f]+", "").replaceAll(" csum 0x[0-9a-f]+.*", ""))
                        .append('\n');
            }
        }
        return b.toString();
    }

    void compare(long size, int bs, int cs) {
        String tag = size + "-" + bs + "-" + cs;
        Path mine = dir.resolve("kmodel-" + tag + ".img");
        Path host = dir.resolve("host-" + tag + ".img");
        try (BlockDevice dev = TestBlockDevices.image(mine, size)) {
            DiskSuperBlock.mkfs(dev, FsProfile.ext4(bs, cs));
        }
        List<String> cmd = new ArrayList<>(List.of("mkfs.ext4", "-q", "-F", "-b", Integer.toString(bs)));
        if (cs != bs) {
            cmd.addAll(List.of("-O", "bigalloc", "-C", Integer.toString(cs)));
        }
        cmd.add(host.toString());
        cmd.add(Long.toString(size / 1024) + "k");
        HostE2fs.Result made = HostE2fs.run(cmd.toArray(String[]::new));
        assertEquals(0, made.rc(), made.out());
        List<String> want = fields(host);
        List<String> got = fields(mine);
        String hostLayout = layout(host);
        long groups =
                hostLayout.lines().filter(l -> l.matches("Group [0-9]+:.*")).count();
        if (groups % 16 == 1) {
            // a lone last flex group: mke2fs spaces its bitmaps and table by 16 blocks, kmodel packs them
            // (docs/ext4-ondisk.md); only where they are differs, and under bigalloc the clusters they span
            want.removeIf(l -> l.startsWith("Free blocks"));
            got.removeIf(l -> l.startsWith("Free blocks"));
        } else {
            assertEquals(hostLayout, layout(mine), tag + ": group layout");
        }
        assertEquals(String.join("\n", want), String.join("\n", got), tag);
        HostE2fs.Result r = HostE2fs.fsck(mine);
        assertEquals(0, r.rc(), r.out());
    }

    @Test
    void sameDefaultsAsHostMke2fs() {
        assumeTrue(
                HostE2fs.available()
                        && HostE2fs.run("dumpe2fs", "-V").rc() == 0
                        && HostE2fs.run("mkfs.ext4", "-V").rc() == 0,
                "e2fsprogs (mkfs.ext4, dumpe2fs, e2fsck) not installed");
        compare(64L << 20, 1024, 1024);
        compare(64L << 20, 4096, 4096);
        compare(17L << 27, 4096, 4096); // 17 groups: a lone last flex group beside a full one
        compare(1L << 30, 4096, 4096);
        compare(256L << 20, 4096, 65536);
        // a short last group: kept with its bitmaps and inode table (and 50 blocks) room, dropped without
        compare((65536L + 700) << 10, 1024, 1024);
        compare((65536L + 300) << 10, 1024, 1024);
        compare((1L << 30) + (60L << 12), 4096, 4096);
        compare((1L << 30) + (2000L << 12), 4096, 4096);
        compare(2L << 20, 1024, 1024); // a floppy-sized one: one group, inode ratio 8192
    }
}
