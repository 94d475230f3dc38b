package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.extent.BlockMapper;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.ExtentMap;
import org.kmodel.fs.extent.Fallocator;
import org.kmodel.fs.extent.FileData;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.fs.extent.SpaceAllocator;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * A mounted ext4 or xfs instance (fs/ext4/super.c, fs/xfs/xfs_super.c) over a block device. Metadata lives
 * in memory and becomes durable at {@link #commit()} (fsync, sync, umount, or every {@code commit=} seconds,
 * the jbd2 / xfs log interval), in ordered mode: data blocks are flushed before the checkpoint that makes
 * them reachable, and blocks freed since the last commit are not reused before it.
 */
public final class DiskSuperBlock implements SuperBlock {
    private final BlockDevice device;
    private final FsProfile profile;
    private final KernelRelease release;
    private final SpaceAllocator alloc;
    private final Map<Long, InodeData> inodes = new TreeMap<>();
    private final long commitIntervalNanos;
    private final String options;
    private MetadataStore store;
    private long lastCommit = System.nanoTime();
    private boolean dirty;
    private boolean killed;
    private Runnable onKill = () -> {};
    /** This type's fallocate tracepoints, replaced when the registry (re)binds; read once per fallocate. */
    private volatile FsTrace trace = FsTrace.NONE;
    /** st_dev the VFS gave this mount (MountContext.deviceNumber), which the trace lines print. */
    private long deviceNumber;

    DiskSuperBlock(
            BlockDevice device,
            FsProfile profile,
            KernelRelease release,
            long commitSeconds,
            String options,
            long firstUnit,
            long endUnit) {
        this.device = device;
        this.profile = profile;
        this.release = release;
        this.commitIntervalNanos = commitSeconds * 1_000_000_000L;
        this.options = options;
        this.alloc = new SpaceAllocator(firstUnit, endUnit);
    }

    void store(MetadataStore s) {
        this.store = s;
    }

    MetadataStore store() {
        return store;
    }

    Map<Long, InodeData> inodeMap() {
        return inodes;
    }

    /**
     * Writes an empty filesystem of {@code profile} over the whole device (mke2fs / mkfs.xfs); returns the
     * filesystem's size in blocks. ext4 is the real ext4 layout; xfs is kmodel's own checkpoint format.
     */
    public static long mkfs(BlockDevice device, FsProfile profile) {
        long now = System.currentTimeMillis() * 1_000_000L;
        if (profile.type().equals("ext4")) {
            DiskSuperBlock fs = Ext4Store.format(device, profile);
            InodeData root = fs.newInode(profile.rootIno(), InodeData.S_IFDIR | 0755, now, profile.rootIno());
            root.nlink = 2;
            InodeData lf =
                    fs.newInode(fs.store.allocateIno(InodeData.S_IFDIR), InodeData.S_IFDIR | 0700, now, root.ino);
            lf.nlink = 2;
            fs.dirAdd(root, "lost+found", lf);
            // mke2fs's create_lost_and_found: grown a block at a time until 16 KiB and at least 2 blocks, but
            // by at most EXT2_NDIR_BLOCKS - 1 expansions (12 blocks at 1 KiB, 4 at 4 KiB, 2 at 64 KiB)
            ((Ext4Store) fs.store).growDir(lf.ino, Math.min(12, Math.max(2, 16384 / profile.blockSize())));
            root.nlink++;
            fs.dirty = true;
            fs.commit();
            fs.store.finish();
            return ((Ext4Store) fs.store).blocksCount();
        }
        long blocks = device.size() / profile.blockSize();
        long area = Math.max(64, blocks / 64);
        java.util.Random rnd = new java.util.Random();
        OnDiskSuper s = new OnDiskSuper(
                profile.type(),
                profile.blockSize(),
                profile.clusterSize(),
                blocks,
                area,
                0,
                0,
                0,
                1,
                rnd.nextLong(),
                rnd.nextLong());
        if (blocks < s.dataStart() + 16L * profile.blocksPerCluster()) {
            throw new KernelException(Errno.EINVAL, "device too small for " + profile.type());
        }
        // Invalidate both copies first so that a crash during mkfs leaves no half-old filesystem.
        byte[] zero = new byte[2 * profile.blockSize()];
        device.write(0, zero, 0, 2 * profile.blockSize(), false);
        DiskSuperBlock fs = kmodelFormat(device, profile, s, KernelRelease.DEFAULT, 0, "");
        DeltaLogStore ks = (DeltaLogStore) fs.store;
        fs.newInode(profile.rootIno(), InodeData.S_IFDIR | 0755, now, profile.rootIno()).nlink = 2;
        ks.nextIno = profile.rootIno() + 3;
        fs.dirty = true;
        fs.commit();
        return blocks;
    }

    private static DiskSuperBlock kmodelFormat(
            BlockDevice device,
            FsProfile profile,
            OnDiskSuper sb,
            KernelRelease release,
            long commitSeconds,
            String options) {
        int cpc = profile.blocksPerCluster();
        DiskSuperBlock fs = new DiskSuperBlock(
                device, profile, release, commitSeconds, options, sb.dataStart() / cpc, sb.blockCount() / cpc);
        // kmodel's own format with an incremental commit (a delta log after each checkpoint)
        fs.store(new DeltaLogStore(fs, sb));
        return fs;
    }

    /**
     * Mounts the filesystem on {@code device}. EINVAL: not a kmodel filesystem, another type, or a device
     * smaller than the filesystem (a truncated image); EUCLEAN: no intact checkpoint or inconsistent metadata.
     */
    public static DiskSuperBlock mount(
            BlockDevice device, String type, KernelRelease release, long commitSeconds, String options) {
        if (type.equals("ext4") && Ext4Store.isExt4(device)) {
            return Ext4Store.mount(device, release, commitSeconds, options);
        }
        MountReader.Found found = MountReader.newest(device, type);
        OnDiskSuper best = found.sb();
        FsProfile profile = "xfs".equals(best.fsType())
                ? FsProfile.xfs(best.blockSize())
                : FsProfile.ext4(best.blockSize(), best.clusterSize());
        DiskSuperBlock fs = kmodelFormat(device, profile, best, release, commitSeconds, options);
        try {
            fs.load(((DeltaLogStore) fs.store).recover(MetadataCodec.decode(found.blob())));
        } catch (KernelException e) {
            throw e;
        } catch (RuntimeException e) {
            // inconsistent metadata the checks above did not name (overlapping extents, ...): the image is
            // corrupt, which is what the kernel says (EFSCORRUPTED), never a Java exception
            throw new KernelException(Errno.EUCLEAN, "inconsistent metadata: " + e, e);
        }
        return fs;
    }

    private void load(MetadataCodec.Checkpoint cp) {
        ((DeltaLogStore) store).nextIno = cp.nextIno();
        List<long[]> used = new ArrayList<>();
        for (MetadataCodec.Decoded d : cp.inodes().values()) {
            InodeData i = d.inode();
            if (i.isReg()) {
                attachData(i, d.size());
                for (Extent e : d.extents()) {
                    checkExtent(e);
                    i.data.map().map(e);
                }
            }
            inodes.put(i.ino, i);
        }
        // fsck-style check: the recorded free space and the extents must partition the data area exactly.
        long freeTotal = 0;
        long prevEnd = alloc.firstUnit();
        for (long[] r : cp.freeRuns()) {
            if (r[0] < prevEnd || r[1] <= 0 || r[0] + r[1] > alloc.endUnit()) {
                throw MetadataCodec.corrupt("free space runs");
            }
            prevEnd = r[0] + r[1];
            freeTotal += r[1];
        }
        long mapped = 0;
        for (InodeData i : inodes.values()) {
            if (i.isReg()) {
                mapped += i.data.mapper().clustersMapped();
            }
        }
        InodeData root = inodes.get(profile.rootIno());
        if (root == null || !root.isDir() || root.nlink == 0) {
            // the orphan cleanup below would free a root with no links: the image is corrupt instead
            throw MetadataCodec.corrupt("root directory");
        }
        if (mapped + freeTotal != alloc.endUnit() - alloc.firstUnit()) {
            throw MetadataCodec.corrupt("space accounting: " + mapped + " used + " + freeTotal + " free");
        }
        long pos = alloc.firstUnit();
        for (long[] r : cp.freeRuns()) {
            if (r[0] > pos) {
                used.add(new long[] {pos, r[0] - pos});
            }
            pos = r[0] + r[1];
        }
        if (pos < alloc.endUnit()) {
            used.add(new long[] {pos, alloc.endUnit() - pos});
        }
        for (long[] u : used) {
            alloc.take(u[0], u[1]);
        }
        freeOrphans();
    }

    /** Orphans (unlinked while open when the system went down) are freed now, like ext4_orphan_cleanup. */
    void freeOrphans() {
        for (InodeData i : new ArrayList<>(inodes.values())) {
            if (i.nlink == 0) {
                freeInode(i);
            }
        }
    }

    void checkExtent(Extent e) {
        long cpc = profile.blocksPerCluster();
        if (e.len() <= 0
                || e.lblk() < 0
                || e.pblk() < alloc.firstUnit() * cpc
                || e.pend() > alloc.endUnit() * cpc
                || e.len() > profile.maxWrittenLen()) {
            throw MetadataCodec.corrupt("extent " + e);
        }
    }

    InodeData newInode(long ino, int mode, long now, long parent) {
        InodeData i = new InodeData(ino, mode);
        i.nlink = 1;
        i.atime = now;
        i.mtime = now;
        i.ctime = now;
        if (i.isDir()) {
            i.entries = new TreeMap<>();
        } else if (i.isReg()) {
            attachData(i, 0);
        }
        inodes.put(ino, i);
        store.created(i, parent);
        dirty = true;
        return i;
    }

    void attachData(InodeData i, long size) {
        ExtentMap map = new ExtentMap(profile.maxWrittenLen(), profile.maxUnwrittenLen());
        BlockMapper mapper = new BlockMapper(map, alloc, profile.blocksPerCluster(), this::commit);
        if (store instanceof Ext4Store e) {
            mapper.beforeAllocate(() -> e.dirty(i.ino));
        }
        i.data = new FileData(profile, device, mapper, size);
        i.fallocator = new Fallocator(i.data);
    }

    long allocateIno(int mode) {
        return store.allocateIno(mode);
    }

    InodeData inode(long ino) {
        InodeData i = inodes.get(ino);
        if (i == null) {
            throw new KernelException(Errno.ESTALE, "inode " + ino);
        }
        return i;
    }

    void freeInode(InodeData i) {
        if (i.data != null) {
            i.data.mapper().free(0, Long.MAX_VALUE / 2, false);
        }
        inodes.remove(i.ino);
        store.freed(i);
        dirty = true;
    }

    /** Room in the metadata for an operation, before it changes anything (ENOSPC naming {@code op}). */
    void reserveMeta(long bytes, String op) {
        store.reserve(bytes, op);
    }

    /**
     * Room for an operation that may add up to {@code pieces} extents or free-space runs (splits, allocations
     * of up to one piece per free run) besides a fixed few.
     */
    void reserveMetaPieces(long pieces, String op) {
        long p = Math.min(pieces, (long) alloc.runCount() + 1) + 3;
        store.reserve(DeltaLogStore.PIECE * p, op);
    }

    /** Adds a directory entry (the name index and the format's directory blocks). */
    void dirAdd(InodeData dir, String name, InodeData child) {
        dir.entries.put(name, child.ino);
        store.dirAdd(dir, name, child);
        store.dirty(dir.ino);
    }

    void dirRemove(InodeData dir, String name) {
        dir.entries.remove(name);
        store.dirRemove(dir, name);
        store.dirty(dir.ino);
    }

    void reparent(InodeData dir, long parent) {
        store.reparent(dir, parent);
    }

    /** The inode's attributes, size or map changed (commits if the interval passed). */
    void touched(long ino) {
        store.dirty(ino);
        touched();
    }

    /** Something changed: commit if the interval passed (the jbd2 commit timer). */
    void touched() {
        dirty = true;
        if (store.wantsCommit() || commitIntervalNanos > 0 && System.nanoTime() - lastCommit > commitIntervalNanos) {
            commit();
        }
    }

    /**
     * The commit timer (jbd2's {@code j_commit_timer}, xfs's log worker): the VFS's periodic writeback calls
     * this, so a change is durable at most {@code commit=} seconds (plus one writeback period) after it was
     * made even when nothing else happens on the filesystem (issue 12: idle changes were never committed).
     */
    @Override
    public void periodicCommit(long nowNanos) {
        if (dirty && !killed && commitIntervalNanos > 0 && nowNanos - lastCommit >= commitIntervalNanos) {
            commit();
        }
    }

    /**
     * Makes every change durable through the format's store (ordered: data first). Freed space becomes
     * reusable only afterwards.
     */
    public void commit() {
        if (!dirty || killed) {
            return;
        }
        store.commit();
        dirty = false;
        lastCommit = System.nanoTime();
    }

    public FsProfile profile() {
        return profile;
    }

    public BlockDevice device() {
        return device;
    }

    public SpaceAllocator allocator() {
        return alloc;
    }

    @Override
    public Inode root() {
        return new DiskInode(this, profile.rootIno());
    }

    @Override
    public FsCapabilities capabilities() {
        // Profile and release are fixed for the mount: built once (vfs_fallocate and every read/write ask).
        FsCapabilities c = caps;
        if (c == null) {
            c = capabilities(profile, release);
            caps = c;
        }
        return c;
    }

    private volatile FsCapabilities caps;

    /** The modes of {@code profile} on {@code release}: COLLAPSE/ZERO since 3.15, INSERT 4.1, UNSHARE 4.20. */
    public static FsCapabilities capabilities(FsProfile profile, KernelRelease release) {
        FsCapabilities.Builder b = FsCapabilities.builder()
                .blockSize(profile.blockSize())
                .maxBytes(profile.maxBytes())
                .requiresDevice(true)
                .fiemap(true)
                .seekUnwrittenCachedAsData(true)
                .magic(profile.magic())
                .fallocateModes(0, FallocateMode.KEEP_SIZE, FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE);
        if (release.atLeast(3, 15)) {
            b.fallocateModes(
                    FallocateMode.COLLAPSE_RANGE,
                    FallocateMode.ZERO_RANGE,
                    FallocateMode.ZERO_RANGE | FallocateMode.KEEP_SIZE);
        }
        if (release.atLeast(4, 1)) {
            b.fallocateModes(FallocateMode.INSERT_RANGE);
        }
        if (profile.unshareRange() && release.atLeast(4, 20)) {
            b.fallocateModes(FallocateMode.UNSHARE_RANGE, FallocateMode.UNSHARE_RANGE | FallocateMode.KEEP_SIZE);
        }
        return b.build();
    }

    @Override
    public StatFs statfs() {
        long cpc = profile.blocksPerCluster();
        long free = Math.max(0, alloc.freeUnits() + alloc.pendingUnits() - reservedClusters) * cpc;
        long files = store.inodeTotal();
        return new StatFs(
                profile.magic(),
                profile.blockSize(),
                (alloc.endUnit() - alloc.firstUnit()) * cpc,
                free,
                free,
                files,
                files - inodes.size(),
                255);
    }

    @Override
    public String mountOptions() {
        // x-* options are for kmodel's mount helper (x-mkfs), not the filesystem: /proc/mounts does not show them.
        StringBuilder b = new StringBuilder("rw,relatime");
        for (String o : options == null ? new String[0] : options.split(",")) {
            if (!o.isEmpty() && !o.startsWith("x-")) {
                b.append(',').append(o);
            }
        }
        return b.toString();
    }

    @Override
    public void sync() {
        allWrittenBack();
        commit();
    }

    /**
     * The VFS wrote back every dirty page of the mount before {@code ->sync_fs} and umount (sync_filesystem): every
     * file's on-disk size is its size now.
     */
    private void allWrittenBack() {
        for (InodeData i : inodes.values()) {
            if (i.allWrittenBack()) {
                store.dirty(i.ino);
                dirty = true;
            }
        }
    }

    @Override
    public void kill() {
        if (!killed) {
            try {
                // umount evicts every inode: files unlinked while open are released now (iput -> evict)
                freeOrphans();
                allWrittenBack();
                commit();
                store.finish();
            } finally {
                killed = true;
                device.close();
                onKill.run();
            }
        }
    }

    /** Runs after umount released the device (the type's record of open images). */
    void trace(FsTrace t) {
        this.trace = t;
    }

    FsTrace trace() {
        return trace;
    }

    void deviceNumber(long dev) {
        this.deviceNumber = dev;
    }

    long deviceNumber() {
        return deviceNumber;
    }

    void onKill(Runnable r) {
        this.onKill = r;
    }

    private long reservedClusters;

    /** Clusters reserved by delayed allocation in all files (not yet mapped). */
    long reserved() {
        return reservedClusters;
    }

    void reserve(long delta) {
        reservedClusters += delta;
    }

    /** Number of inodes in use (for tests and df -i). */
    public int inodeCount() {
        return inodes.size();
    }
}
