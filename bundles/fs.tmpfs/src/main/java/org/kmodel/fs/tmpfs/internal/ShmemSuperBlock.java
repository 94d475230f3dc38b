package org.kmodel.fs.tmpfs.internal;

import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.PageBudget;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * One tmpfs instance ({@code struct shmem_sb_info}, mm/shmem.c {@code shmem_fill_super},
 * {@code shmem_parse_one}, {@code shmem_show_options}): the page budget of {@code -o size=}, the inode budget of
 * {@code -o nr_inodes=}, and the accounting of used pages. Pages are charged when they are allocated (write
 * begin or fallocate), never when they are merely read, so reading a hole costs nothing.
 */
final class ShmemSuperBlock implements SuperBlock {
    static final int PAGE_SIZE = org.kmodel.kernel.Arch.PAGE_SIZE;
    static final long TMPFS_MAGIC = 0x01021994L;
    /** The RAM of a tmpfs mounted outside a VFS (unit tests): 8 GiB. */
    static final long TOTAL_RAM = 8L << 30;

    static final FsCapabilities CAPABILITIES = FsCapabilities.builder()
            .fallocateModes(0, 0x01, 0x03) // allocate, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE (shmem_fallocate)
            .blockSize(PAGE_SIZE)
            .maxBytes(Long.MAX_VALUE)
            .fiemap(false)
            .seekUnwrittenCachedAsData(false)
            .magic(TMPFS_MAGIC)
            .build();

    private final long maxPages;
    private final long maxInodes;
    private final String shownOptions;
    private long usedPages;
    private long usedInodes;
    private long nextIno = 1;
    private final ShmemDir root;

    /** The model's memory: every page is charged there too (ENOMEM when the model is full). */
    private final PageBudget memory;

    ShmemSuperBlock(Map<String, String> options, boolean readOnly) {
        this(options, readOnly, PageBudget.UNLIMITED);
    }

    /**
     * {@code shmem_fill_super}: without {@code size=} a tmpfs may hold half of the RAM (shmem_default_max_blocks,
     * totalram_pages() / 2); here the RAM is the model's, sized from the JVM heap.
     */
    ShmemSuperBlock(Map<String, String> options, boolean readOnly, PageBudget memory) {
        this.memory = memory;
        long ram = memory.totalPages() * PAGE_SIZE;
        long pages = ram / 2 / PAGE_SIZE;
        long inodes = Long.MAX_VALUE;
        int rootMode = 01777;
        StringBuilder shown = new StringBuilder(readOnly ? "ro" : "rw").append(",relatime");
        for (Map.Entry<String, String> e : options.entrySet()) {
            switch (e.getKey()) {
                case "size" -> {
                    pages = parseSize(e.getValue(), ram);
                    shown.append(",size=").append(pages * PAGE_SIZE / 1024).append('k');
                }
                case "nr_blocks" -> {
                    pages = parseNumber(e.getValue());
                    shown.append(",size=").append(pages * PAGE_SIZE / 1024).append('k');
                }
                case "nr_inodes" -> {
                    inodes = parseNumber(e.getValue());
                    shown.append(",nr_inodes=").append(inodes);
                }
                case "mode" -> {
                    rootMode = parseMode(e.getValue());
                    shown.append(",mode=").append(Integer.toOctalString(rootMode));
                }
                case "uid", "gid", "huge", "mpol", "inode32", "inode64", "noswap" -> {
                    // accepted and ignored: no ownership model, no huge pages, no NUMA, no swap
                }
                default -> throw new KernelException(Errno.EINVAL, "tmpfs: Bad value for '" + e.getKey() + "'");
            }
        }
        this.maxPages = pages;
        this.maxInodes = inodes;
        this.shownOptions = shown.toString();
        this.root = new ShmemDir(this, allocIno(), org.kmodel.vfs.FileType.DIRECTORY.bits() | rootMode);
    }

    /** {@code size=}: bytes with k/m/g/t suffix rounded up to pages, or a percentage of RAM. */
    static long parseSize(String v) {
        return parseSize(v, TOTAL_RAM);
    }

    static long parseSize(String v, long ram) {
        if (v.endsWith("%")) {
            try {
                long pct = Long.parseLong(v.substring(0, v.length() - 1));
                return ram / 100 * pct / PAGE_SIZE;
            } catch (NumberFormatException e) {
                throw new KernelException(Errno.EINVAL, "tmpfs: Bad value for 'size'");
            }
        }
        long bytes = memparse(v, "size");
        return bytes / PAGE_SIZE + (bytes % PAGE_SIZE == 0 ? 0 : 1);
    }

    /** {@code memparse} (lib/cmdline.c): {@link org.kmodel.kernel.Sizes#memparse}, errors as tmpfs reports them. */
    static long memparse(String v, String option) {
        try {
            return org.kmodel.kernel.Sizes.memparse(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KernelException(Errno.EINVAL, "tmpfs: Bad value for '" + option + "'");
        }
    }

    private static long parseNumber(String v) {
        return memparse(v, "nr_inodes");
    }

    private static int parseMode(String v) {
        try {
            return Integer.parseInt(v, 8) & 07777;
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL, "tmpfs: Bad value for 'mode'");
        }
    }

    long allocIno() {
        if (usedInodes >= maxInodes) {
            throw new KernelException(Errno.ENOSPC, "tmpfs: no inodes left");
        }
        usedInodes++;
        return nextIno++;
    }

    void freeIno() {
        usedInodes--;
    }

    /** {@code shmem_inode_acct_blocks}: charges {@code n} pages or fails with ENOSPC, charging nothing. */
    void chargePages(long n) {
        if (n > maxPages - usedPages) {
            throw new KernelException(Errno.ENOSPC, "tmpfs: no space left");
        }
        memory.charge(n); // ENOMEM: the instance has room, the model's memory has not
        usedPages += n;
    }

    void unchargePages(long n) {
        usedPages -= n;
        memory.uncharge(n);
    }

    long freePages() {
        return maxPages - usedPages;
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public FsCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public StatFs statfs() {
        long files = maxInodes == Long.MAX_VALUE ? 0 : maxInodes;
        long ffree = maxInodes == Long.MAX_VALUE ? 0 : maxInodes - usedInodes;
        return new StatFs(
                TMPFS_MAGIC, PAGE_SIZE, maxPages, maxPages - usedPages, maxPages - usedPages, files, ffree, 255);
    }

    @Override
    public String mountOptions() {
        return shownOptions;
    }

    /** umount of a tmpfs frees all its pages (shmem_put_super): the model's memory gets them back. */
    @Override
    public void kill() {
        memory.uncharge(usedPages);
        usedPages = 0;
    }
}
