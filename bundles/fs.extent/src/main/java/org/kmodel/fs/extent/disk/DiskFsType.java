package org.kmodel.fs.extent.disk;

import java.nio.file.Path;
import java.util.Map;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.fs.Fsck;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.MkfsResult;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.trace.TracepointRegistry;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * What ext4 and xfs share as a filesystem type: mount of an image file through the block layer
 * (the loop device step of {@code mount -o loop}) and mkfs. Subclasses say which geometry is allowed.
 */
public abstract class DiskFsType implements FileSystemType, Mkfs, Fsck {
    /** Images mounted by any ext4/xfs instance in this runtime: a block device is claimed exclusively. */
    private static final java.util.Set<Path> IN_USE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final BlockDeviceFactory devices;
    /** Instances this type mounted and that are not unmounted yet. */
    private final java.util.Set<DiskSuperBlock> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** This type's fallocate tracepoints, looked up once per registry bind. */
    private volatile FsTrace trace = FsTrace.NONE;

    protected DiskFsType(BlockDeviceFactory devices) {
        this.devices = devices;
    }

    private volatile TracepointRegistry tracepoints;

    /**
     * The trace feature's registry appeared: this type's events are looked up once here and handed to every
     * mounted instance. Subclasses call it from their optional, dynamic, greedy DS reference (the DS
     * annotations stay on the concrete component class).
     */
    protected final void bindTracepoints(TracepointRegistry registry) {
        tracepoints = registry;
        setTracepointRegistry(registry);
    }

    /** The registry went; with GREEDY a replacement may already be bound, so only the current one unsets. */
    protected final void unbindTracepoints(TracepointRegistry registry) {
        if (tracepoints == registry) {
            tracepoints = null;
            setTracepointRegistry(null);
        }
    }

    private void setTracepointRegistry(TracepointRegistry registry) {
        FsTrace t = FsTrace.of(registry, name());
        trace = t;
        for (DiskSuperBlock sb : live) {
            sb.trace(t);
        }
    }

    /** The profile mkfs makes for these options; EINVAL for geometry the real mkfs refuses. */
    protected abstract FsProfile profileFor(Map<String, String> options);

    /** The profile used by {@link #capabilities(KernelRelease)} before any mount. */
    protected abstract FsProfile defaultProfile();

    @Override
    public String type() {
        return name();
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return DiskSuperBlock.capabilities(defaultProfile(), release);
    }

    /**
     * The image a mount source names: absolute paths as given, relative ones below the state directory
     * ({@code kmodel.state}, the launcher's {@code --state}), so boot mounts can say {@code root.img}.
     */
    static Path imagePath(String source) {
        Path p = Path.of(source);
        String state = System.getProperty("kmodel.state");
        return p.isAbsolute() || state == null ? p : Path.of(state).resolve(p);
    }

    /**
     * Mounts an image file. With the option {@code x-mkfs=SIZE} a missing image is first created sparse and
     * made with this type's default geometry (or {@code x-blocksize=}), so the distribution's default mounts
     * work on first boot; an existing image is reformatted only if it is all zero (holds nothing to lose).
     */
    @Override
    public SuperBlock mount(MountContext context) {
        Path image = imagePath(context.source());
        String create = context.optionMap().get("x-mkfs");
        Map<String, String> o = new java.util.HashMap<>();
        String bs = context.optionMap().get("x-blocksize");
        if (bs != null) {
            o.put("blocksize", bs);
        }
        if (create != null && !java.nio.file.Files.exists(image)) {
            String state = System.getProperty("kmodel.state");
            if (state != null && !Path.of(context.source()).isAbsolute()) {
                // the state directory is kmodel's own: a boot mount's image may be its first file there (the
                // block layer never creates a host directory on the way, issue 12)
                try {
                    java.nio.file.Files.createDirectories(Path.of(state));
                } catch (java.io.IOException e) {
                    throw new KernelException(Errno.EIO, state + ": " + e.getMessage());
                }
            }
            mkfsAtomically(image, parseSize(create), o);
        }
        Path key = image.toAbsolutePath().normalize();
        if (!IN_USE.add(key)) {
            // blkdev_get_by_path with the superblock as exclusive holder: a second mount of the same image
            // by another filesystem instance is refused, so two caches never write one device.
            throw new KernelException(Errno.EBUSY, image + " is already mounted");
        }
        BlockDevice dev;
        try {
            dev = devices.openImage(image, 0);
        } catch (RuntimeException e) {
            IN_USE.remove(key);
            throw e;
        }
        try {
            long commit = 5;
            String c = context.optionMap().get("commit");
            if (c != null) {
                try {
                    commit = Long.parseLong(c);
                } catch (NumberFormatException e) {
                    throw new KernelException(Errno.EINVAL, "bad commit= option");
                }
            }
            if (create != null && !hasMagic(dev) && DiskFsck.isAllZero(dev)) {
                // an image that holds nothing at all (an older kmodel killed during its first boot left one):
                // formatting it loses nothing. Any other content is never reformatted by a mount.
                DiskSuperBlock.mkfs(dev, profileFor(o));
            }
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, name(), context.release(), commit, context.options());
            sb.deviceNumber(context.deviceNumber());
            sb.trace(trace);
            live.add(sb);
            sb.trace(trace); // again after add: a registry bound meanwhile has updated live, or sees this one
            sb.onKill(() -> {
                IN_USE.remove(key);
                live.remove(sb);
            });
            return sb;
        } catch (RuntimeException e) {
            dev.close();
            IN_USE.remove(key);
            throw e;
        }
    }

    /**
     * The first boot's mkfs: into a temporary file beside the image, renamed into place only when complete, so a
     * boot killed half-way leaves no image (the next boot starts over) instead of one that cannot mount.
     */
    private void mkfsAtomically(Path image, long size, Map<String, String> options) {
        Path tmp = image.resolveSibling(image.getFileName() + ".mkfs-tmp");
        try {
            java.nio.file.Files.deleteIfExists(tmp);
            mkfs(tmp, size, options);
            java.nio.file.Files.move(tmp, image, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new KernelException(Errno.EIO, image + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasMagic(BlockDevice dev) {
        return MountReader.hasKmodelMagic(dev) || Ext4Store.isExt4(dev);
    }

    /**
     * The type is going away (bundle stop, framework shutdown): commit every instance it mounted, as the
     * kernel's emergency sync does, so what was written back survives a restart. Mounted instances stay
     * usable (a replaced implementation keeps serving existing mounts until umount).
     */
    protected void syncAll() {
        for (DiskSuperBlock sb : live) {
            try {
                sb.commit();
            } catch (RuntimeException e) {
                // a device already gone: nothing more can be saved
            }
        }
    }

    @Override
    public MkfsResult mkfs(Path given, long size, Map<String, String> options) {
        // the same rule as mount: a relative image name lives in the state directory, so that
        // "mkfs -t ext4 scratch.img 64M; mount -t ext4 scratch.img /mnt" names one file
        Path image = imagePath(given.toString());
        FsProfile p = profileFor(options);
        if (IN_USE.contains(image.toAbsolutePath().normalize())) {
            throw new KernelException(Errno.EBUSY, image + " is mounted; will not make a filesystem here");
        }
        boolean existed = java.nio.file.Files.exists(image);
        if (existed && !options.containsKey("force")) {
            refuseForeignData(image);
        }
        if (existed && size > 0) {
            growTo(image, size);
        }
        try (BlockDevice dev = devices.openImage(image, size)) {
            long blocks = DiskSuperBlock.mkfs(dev, p);
            return new MkfsResult(name(), blocks, p.blockSize(), p.clusterSize(), report(image, blocks, p));
        } catch (RuntimeException e) {
            if (!existed) {
                // a failed mkfs leaves no file behind that it created itself
                try {
                    java.nio.file.Files.deleteIfExists(image);
                } catch (java.io.IOException ignored) {
                    // the error below is what the user needs to see
                }
            }
            throw e;
        }
    }

    /**
     * A size given for an existing regular file smaller than it grows the file first, as {@code mkfs.ext4 -F FILE 8M}
     * and {@code mkfs.xfs -f -d size=300m FILE} do on the host (a 19-byte file becomes 8,388,608 and 314,572,800
     * bytes); a larger file keeps its length, the filesystem takes the size given.
     */
    private static void growTo(Path image, long size) {
        if (!java.nio.file.Files.isRegularFile(image)) {
            return; // a directory or a device: openImage reports it
        }
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1); // a hole up to the last byte, as ftruncate
            }
        } catch (java.io.IOException e) {
            throw new KernelException(Errno.EIO, image + ": " + e.getMessage(), e);
        }
    }

    /**
     * mkfs.xfs refuses a device holding data it does not recognise as safe to overwrite unless forced, and mke2fs
     * asks first: here an existing host file is made into a filesystem without {@code -F} only if it is empty,
     * all zero in its first MiB, or already a kmodel image. Anything else is EEXIST, the file untouched.
     */
    static void refuseForeignData(Path image) {
        if (java.nio.file.Files.isDirectory(image)) {
            return; // openImage reports EISDIR
        }
        byte[] head = new byte[1 << 20];
        int n = 0;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(image)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.io.IOException e) {
            throw new KernelException(Errno.EIO, image.toString(), e);
        }
        if (OnDiskSuper.hasMagic(head) || (n >= 1082 && head[1080] == 0x53 && head[1081] == (byte) 0xEF)) {
            return; // kmodel's xfs format, or an ext4 image (s_magic 0xEF53 at byte 1080)
        }
        for (int i = 0; i < n; i++) {
            if (head[i] != 0) {
                throw new KernelException(
                        Errno.EEXIST,
                        image + " contains data that is not a kmodel image " + "(use -F to overwrite it)");
            }
        }
    }

    /**
     * fsck of an image of this type: refused while any instance has it mounted (EBUSY, as e2fsck refuses a
     * mounted filesystem); the checks and repairs are {@link DiskFsck}'s.
     */
    @Override
    public FsckResult check(Path given, boolean repair) {
        Path image = imagePath(given.toString());
        Path key = image.toAbsolutePath().normalize();
        if (!IN_USE.add(key)) {
            throw new KernelException(Errno.EBUSY, image + " is mounted");
        }
        try (BlockDevice dev = devices.openImage(image, 0)) {
            if (name().equals("ext4") && Ext4Fsck.isExt4Image(dev)) {
                return Ext4Fsck.check(dev, repair);
            }
            return DiskFsck.check(dev, name(), repair);
        } finally {
            IN_USE.remove(key);
        }
    }

    /** The summary the real mkfs prints. */
    protected abstract String report(Path image, long blockCount, FsProfile p);

    /** "2G", "512M", "65536": sizes in powers of 1024 ({@link org.kmodel.kernel.Sizes#memparse}). */
    static long parseSize(String v) {
        try {
            return org.kmodel.kernel.Sizes.memparse(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KernelException(Errno.EINVAL, "bad size '" + v + "'");
        }
    }

    protected static int intOption(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Math.toIntExact(org.kmodel.kernel.Sizes.memparse(v));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KernelException(Errno.EINVAL, "bad " + key + " '" + v + "'");
        }
    }
}
