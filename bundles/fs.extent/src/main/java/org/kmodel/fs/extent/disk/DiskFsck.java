package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;

/**
 * fsck of kmodel's image format (xfs, and ext4 images from before kmodel wrote real ext4; real ext4 images are
 * {@link Ext4Fsck}'s) (the passes of e2fsck, e2fsprogs e2fsck/pass1.c to pass5.c, in the small):
 * superblock copies and checkpoint checksums; then in the newest intact checkpoint every extent inside the data
 * area and claimed once (pass 1 and 1B), directory entries pointing at inodes that exist (pass 2), every inode
 * reachable (pass 3, unattached ones go to /lost+found), link counts (pass 4) and the free-space runs as the
 * complement of the extents (pass 5). Everything {@link MountReader} and the mount's load refuse is found here;
 * a repair writes the corrected checkpoint with the commit protocol, so a crash during fsck leaves the
 * previous state intact.
 */
final class DiskFsck {
    private final BlockDevice device;
    private final String type;
    private final List<String> problems = new ArrayList<>();
    private boolean fatal;

    private DiskFsck(BlockDevice device, String type) {
        this.device = device;
        this.type = type;
    }

    static FsckResult check(BlockDevice device, String type, boolean repair) {
        DiskFsck f = new DiskFsck(device, type);
        return f.run(repair);
    }

    private FsckResult run(boolean repair) {
        byte[][] copies = {MountReader.readSector(device, 0), MountReader.readSector(device, 1)};
        if (!OnDiskSuper.hasMagic(copies[0]) && !OnDiskSuper.hasMagic(copies[1])) {
            problems.add(noMagic(copies[1]));
            return result(false);
        }
        OnDiskSuper best = null;
        byte[] bestBlob = null;
        int damaged = 0;
        List<OnDiskSuper> torn = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OnDiskSuper s;
            if (isZero(copies[i])) {
                continue; // a copy the commit protocol has not written yet (mkfs writes one checkpoint): not damage
            }
            try {
                s = OnDiskSuper.decode(copies[i]);
            } catch (KernelException e) {
                problems.add("superblock copy " + i + ": " + e.what());
                damaged++;
                continue;
            }
            if (!s.fsType().equals(type)) {
                throw new KernelException(Errno.EINVAL, device.name() + " holds " + s.fsType() + ", not " + type);
            }
            if (s.blockCount() > device.size() / s.blockSize()) {
                problems.add("superblock copy " + i + ": the filesystem has " + s.blockCount() + " blocks but the "
                        + "image only " + device.size() / s.blockSize() + " (truncated image)");
                fatal = true;
                continue;
            }
            byte[] blob = MountReader.readBlob(device, s);
            if (blob == null) {
                torn.add(s);
                continue;
            }
            if (best == null || s.seq() > best.seq()) {
                best = s;
                bestBlob = blob;
            }
        }
        for (OnDiskSuper t : torn) {
            // The older copy's area is where the next commit writes: a process killed during that write leaves
            // it torn, which is the normal state after a crash (the newer copy is intact). Only a checkpoint
            // newer than every intact one is damage.
            if (best == null || t.seq() > best.seq()) {
                problems.add("checkpoint " + t.slot() + " (seq " + t.seq() + "): checksum does not match");
                damaged++;
            }
        }
        if (best == null || fatal) {
            problems.add("no intact checkpoint: cannot repair");
            fatal = true;
            return result(false);
        }
        FsProfile profile = "xfs".equals(best.fsType())
                ? FsProfile.xfs(best.blockSize())
                : FsProfile.ext4(best.blockSize(), best.clusterSize());
        MetadataCodec.Checkpoint cp;
        try {
            cp = MetadataCodec.decode(bestBlob);
        } catch (KernelException e) {
            problems.add("checkpoint " + best.slot() + ": cannot be decoded (" + e.what() + ")");
            fatal = true;
            return result(false);
        }
        // the delta log after the checkpoint, as the mount replays it (a torn last record ends the log: the
        // normal state after a crash, not damage)
        int cpc = profile.blocksPerCluster();
        try {
            cp = DeltaLogReplay.replay(device, best, cp, best.dataStart() / cpc, best.blockCount() / cpc, cpc)
                    .checkpoint();
        } catch (KernelException e) {
            problems.add("checkpoint " + best.slot() + ": log record cannot be decoded (" + e.what() + ")");
            fatal = true;
            return result(false);
        }
        int before = problems.size();
        Repaired r = passes(best, profile, cp);
        boolean changed = problems.size() > before || damaged > 0;
        if (!changed || !repair || fatal) {
            return result(false);
        }
        byte[] blob = MetadataCodec.encodeDecoded(r.nextIno, r.inodes.values(), r.free);
        // a new full checkpoint through the store's own commit path: the old checkpoint and its log stay the
        // newest intact state until the superblock of the new one is durable
        DeltaLogStore.writeCheckpoint(device, best, blob);
        device.flush();
        // the repaired image must pass the mount's own check
        DiskSuperBlock.mount(device, type, KernelRelease.DEFAULT, 0, "").commit();
        return result(true);
    }

    private record Repaired(long nextIno, Map<Long, MetadataCodec.Decoded> inodes, List<long[]> free) {}

    private Repaired passes(OnDiskSuper sb, FsProfile profile, MetadataCodec.Checkpoint cp) {
        Map<Long, MetadataCodec.Decoded> inodes = new TreeMap<>(cp.inodes());
        int cpc = profile.blocksPerCluster();
        long firstUnit = sb.dataStart() / cpc;
        long endUnit = sb.blockCount() / cpc;
        MetadataCodec.Decoded root = inodes.get(profile.rootIno());
        if (root == null || !root.inode().isDir()) {
            problems.add("root inode " + profile.rootIno() + " is missing or not a directory: cannot repair");
            fatal = true;
            return new Repaired(cp.nextIno(), inodes, cp.freeRuns());
        }
        // pass 1 and 1B: extents inside the data area, no block claimed twice
        TreeMap<Long, Long> claimed = new TreeMap<>(); // physical cluster start -> end (exclusive)
        for (Map.Entry<Long, MetadataCodec.Decoded> en : inodes.entrySet()) {
            MetadataCodec.Decoded d = en.getValue();
            if (!d.inode().isReg()) {
                continue;
            }
            List<Extent> kept = new ArrayList<>();
            TreeMap<Long, Long> own = new TreeMap<>();
            long lastLogical = -1;
            for (Extent e : d.extents()) {
                String bad = null;
                if (e.len() <= 0 || e.lblk() < 0 || e.len() > profile.maxWrittenLen()) {
                    bad = "has an invalid length or offset";
                } else if (e.pblk() < firstUnit * cpc || e.pend() > endUnit * cpc || e.pend() < e.pblk()) {
                    bad = "lies outside the data area";
                } else if (e.lblk() < lastLogical) {
                    bad = "overlaps another extent of the file";
                } else if (overlaps(claimed, e.pblk() / cpc, (e.pend() - 1) / cpc + 1)) {
                    bad = "claims blocks another file uses";
                }
                if (bad != null) {
                    problems.add("inode " + d.inode().ino + ": extent (logical " + e.lblk() + ", " + e.len()
                            + " blocks at " + e.pblk() + ") " + bad + ": cleared");
                    continue;
                }
                kept.add(e);
                lastLogical = e.end();
                own.merge(e.pblk() / cpc, (e.pend() - 1) / cpc + 1, Math::max);
            }
            for (Map.Entry<Long, Long> o : own.entrySet()) {
                claimed.merge(o.getKey(), o.getValue(), Math::max);
            }
            if (kept.size() != d.extents().size()) {
                en.setValue(new MetadataCodec.Decoded(d.inode(), d.size(), kept));
            }
        }
        // pass 2: directory entries name inodes that exist
        Map<Long, Integer> refs = new HashMap<>();
        Map<Long, Integer> subdirs = new HashMap<>();
        for (MetadataCodec.Decoded d : inodes.values()) {
            if (!d.inode().isDir()) {
                continue;
            }
            d.inode().entries.entrySet().removeIf(e -> {
                MetadataCodec.Decoded t = inodes.get(e.getValue());
                if (t == null || e.getValue() == profile.rootIno()) {
                    problems.add("entry '" + e.getKey() + "' in directory inode " + d.inode().ino
                            + " has a bad inode number " + e.getValue() + ": removed");
                    return true;
                }
                return false;
            });
            for (Long child : d.inode().entries.values()) {
                refs.merge(child, 1, Integer::sum);
                if (inodes.get(child).inode().isDir()) {
                    subdirs.merge(d.inode().ino, 1, Integer::sum);
                }
            }
        }
        // pass 3: every inode in use is reachable (orphans with no links are freed by the mount anyway)
        long nextIno = cp.nextIno();
        for (Long ino : inodes.keySet()) {
            nextIno = Math.max(nextIno, ino + 1); // before lost+found may need a number
        }
        for (MetadataCodec.Decoded d : new ArrayList<>(inodes.values())) {
            long ino = d.inode().ino;
            if (ino == profile.rootIno() || refs.containsKey(ino) || d.inode().nlink == 0) {
                continue;
            }
            InodeData lf = lostAndFound(inodes, root, profile, nextIno);
            if (lf.ino == nextIno) {
                nextIno++;
                subdirs.merge(root.inode().ino, 1, Integer::sum);
                refs.merge(lf.ino, 1, Integer::sum);
            }
            lf.entries.put("#" + ino, ino);
            refs.merge(ino, 1, Integer::sum);
            if (d.inode().isDir()) {
                subdirs.merge(lf.ino, 1, Integer::sum);
            }
            problems.add("unattached inode " + ino + ": connected to /lost+found");
        }
        // pass 4: link counts
        for (MetadataCodec.Decoded d : inodes.values()) {
            InodeData i = d.inode();
            int want = i.isDir() ? 2 + subdirs.getOrDefault(i.ino, 0) : refs.getOrDefault(i.ino, 0);
            if (i.nlink != want && (i.nlink != 0 || refs.containsKey(i.ino) || i.ino == profile.rootIno())) {
                problems.add("inode " + i.ino + " link count is " + i.nlink + ", should be " + want + ": fixed");
                i.nlink = want;
            }
            nextIno = Math.max(nextIno, i.ino + 1);
        }
        if (nextIno != cp.nextIno()) {
            problems.add("next free inode number " + cp.nextIno() + " is in use: set to " + nextIno);
        }
        // pass 5: the free-space runs are exactly the clusters no extent claims
        List<long[]> free = new ArrayList<>();
        long pos = firstUnit;
        for (Map.Entry<Long, Long> c : claimed.entrySet()) {
            if (c.getKey() > pos) {
                free.add(new long[] {pos, c.getKey() - pos});
            }
            pos = Math.max(pos, c.getValue());
        }
        if (pos < endUnit) {
            free.add(new long[] {pos, endUnit - pos});
        }
        if (!sameRuns(free, cp.freeRuns())) {
            problems.add("free space runs differ from the extents (" + count(cp.freeRuns()) + " clusters recorded "
                    + "free, " + count(free) + " actually free): rebuilt");
        }
        return new Repaired(nextIno, inodes, free);
    }

    /** True if clusters [from, to) are claimed by another file (a file's own extents join after its pass). */
    private static boolean overlaps(TreeMap<Long, Long> claimed, long from, long to) {
        for (Map.Entry<Long, Long> c :
                claimed.headMap(to, false).descendingMap().entrySet()) {
            if (c.getValue() > from) {
                return true;
            }
            if (c.getKey() < from - (1L << 32)) {
                return false; // no run is that long: the rest lie wholly below
            }
        }
        return false;
    }

    private static InodeData lostAndFound(
            Map<Long, MetadataCodec.Decoded> inodes, MetadataCodec.Decoded root, FsProfile profile, long nextIno) {
        Long ino = root.inode().entries.get("lost+found");
        if (ino != null && inodes.get(ino).inode().isDir()) {
            return inodes.get(ino).inode();
        }
        InodeData lf = new InodeData(nextIno, InodeData.S_IFDIR | 0700);
        lf.nlink = 2;
        lf.entries = new TreeMap<>();
        long now = System.currentTimeMillis() * 1_000_000L;
        lf.atime = now;
        lf.mtime = now;
        lf.ctime = now;
        inodes.put(lf.ino, new MetadataCodec.Decoded(lf, 0, List.of()));
        root.inode().entries.put("lost+found", lf.ino);
        return lf;
    }

    private static boolean sameRuns(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    private static long count(List<long[]> runs) {
        long n = 0;
        for (long[] r : runs) {
            n += r[1];
        }
        return n;
    }

    private static boolean isZero(byte[] sector) {
        for (byte b : sector) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Why an image where neither copy of the superblock has a magic number cannot be checked. */
    private String noMagic(byte[] copy1) {
        if (allZero()) {
            return "no filesystem: the image is all zero (made by a first boot that did not finish?)";
        }
        if (type.equals("ext4")) { // DiskFsType sends an image with an ext4 superblock or backup to Ext4Fsck
            return "bad magic number in super-block, and no valid backup superblock: not an ext4 image";
        }
        if (isZero(copy1)) { // mkfs writes one checkpoint: copy 1 appears with the second commit
            return "bad magic number in superblock copy 0, and copy 1 was never written: not a kmodel " + type
                    + " image, or damaged before its second commit";
        }
        return "bad magic number in both superblocks: not a kmodel " + type + " image";
    }

    /** Reads the whole image: only when neither superblock has a magic number. Holes read fast on the host. */
    private boolean allZero() {
        return isAllZero(device);
    }

    /** Never written: compared against, a chunk at a time. */
    private static final byte[] ZERO_CHUNK = new byte[1 << 20];

    static boolean isAllZero(BlockDevice device) {
        // one 1 MiB chunk at a time: a mount or fsck that finds no magic number allocates 1 MiB, not the 16 MiB
        // two 8 MiB arrays cost (and the first non-zero chunk ends the scan)
        byte[] buf = new byte[(int) Math.min(ZERO_CHUNK.length, device.size())];
        for (long pos = 0; pos < device.size(); pos += buf.length) {
            int n = (int) Math.min(buf.length, device.size() - pos);
            device.read(pos, buf, 0, n);
            // Arrays.mismatch compares a word at a time: 2 GiB of holes in about a second
            if (java.util.Arrays.mismatch(buf, 0, n, ZERO_CHUNK, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    private FsckResult result(boolean repaired) {
        int status = problems.isEmpty() ? FsckResult.CLEAN : repaired ? FsckResult.CORRECTED : FsckResult.UNCORRECTED;
        return new FsckResult(type, problems, repaired, status);
    }
}
