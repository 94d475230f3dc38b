package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * e2fsprogs' {@code filefrag [-b BLOCKSIZE] [-eksv] FILE...} (misc/filefrag.c) over FS_IOC_FIEMAP of the model:
 * "FILE: N extents found", and with {@code -v} the filesystem magic, the size line and the extent table as
 * e2fsprogs 1.47 prints it. An extent that starts where the previous one's blocks would continue is not counted
 * as a new one (filefrag counts discontiguities); its "expected" column is then empty. The model's FIEMAP always
 * flushes first (FIEMAP_FLAG_SYNC), so {@code -s} changes nothing and delayed allocations never show.
 */
@Component(
        service = FilefragCommand.class,
        property = {"osgi.command.scope=vfs", "osgi.command.function=filefrag"})
public class FilefragCommand {
    static final String USAGE = "Usage: filefrag [-b{blocksize}[KMG]] [-eksvV] file ...";

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor("report on file fragmentation: filefrag [-v] [-k|-b BLOCKSIZE] [-es] FILE... (FIEMAP extents, "
            + "e2fsprogs' layout)")
    public String filefrag(@Descriptor("[-v] [-k|-b BLOCKSIZE] [-e] [-s] FILE...") String... args) {
        Getopt o = Getopt.parse(args, "b:eksvVh", "help=h");
        if (o.has('h')) {
            return USAGE;
        }
        if (o.has('V')) {
            return "filefrag 1.47.0 (5-Feb-2023)";
        }
        if (o.operands().isEmpty()) {
            throw new KernelException(Errno.EINVAL, "missing operand\nUsage: " + USAGE.substring(7));
        }
        long unit = o.has('k') ? 1024 : o.value('b') == null ? 0 : Getopt.size(o.value('b'), "blocksize");
        if (o.value('b') != null && (unit <= 0 || Long.bitCount(unit) != 1)) {
            throw new KernelException(Errno.EINVAL, "invalid blocksize: " + o.value('b'));
        }
        StringBuilder out = new StringBuilder();
        long[] lastType = {-1};
        for (String file : o.operands()) {
            try {
                out.append(report(file, o.has('v'), unit, lastType));
            } catch (KernelException e) {
                System.out.print(out); // what the files before printed, as the real tool has
                System.out.flush();
                throw e;
            }
        }
        return out.toString().stripTrailing();
    }

    /** The data: one file's FIEMAP extents, size and block size (the unit of the report). */
    record Report(String name, long type, long size, long blockSize, long fsBlocks, List<FiemapExtent> extents) {}

    private String report(String file, boolean verbose, long unit, long[] lastType) {
        Vfs v = vfs;
        if (v == null) {
            throw new KernelException(Errno.ENODEV, file);
        }
        StatFs fs;
        Stat st;
        List<FiemapExtent> extents;
        try (OpenFile f = v.open(file, OpenFlags.O_RDONLY, 0)) {
            st = f.fstat();
            fs = v.statfs(file);
            StringBuilder head = new StringBuilder();
            if (verbose && fs.type() != lastType[0]) {
                head.append("Filesystem type is: ")
                        .append(Long.toHexString(fs.type()))
                        .append('\n');
            }
            lastType[0] = fs.type();
            long bs = unit > 0 ? unit : fs.bsize();
            if (verbose) {
                long blocks = (st.size() + bs - 1) / bs;
                head.append(String.format(
                        Locale.ROOT,
                        "File size of %s is %d (%d block%s of %d bytes)%n",
                        file,
                        st.size(),
                        blocks,
                        blocks == 1 ? "" : "s",
                        bs));
            }
            try {
                extents = f.fiemap(0, Long.MAX_VALUE);
            } catch (KernelException e) {
                System.out.print(head);
                throw new KernelException(e.errno(), file + ": FIBMAP/FIEMAP unsupported");
            }
            return head
                    + format(
                            new Report(file, fs.type(), st.size(), bs, fs.blocks() * fs.bsize() / bs, extents),
                            verbose);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.EACCES || e.errno() == Errno.ENOTDIR) {
                throw new KernelException(e.errno(), "open " + file, e);
            }
            throw e;
        }
    }

    /** The extent table (with {@code verbose}) and the "N extents found" line. */
    static String format(Report r, boolean verbose) {
        long bs = r.blockSize();
        long fileBlocks = (r.size() + bs - 1) / bs;
        int lw = Math.max(8, Long.toString(fileBlocks).length());
        int pw = Math.max(10, Long.toString(r.fsBlocks()).length());
        StringBuilder sb = new StringBuilder();
        if (verbose && !r.extents().isEmpty()) {
            sb.append(String.format(
                    Locale.ROOT,
                    " ext: %" + (lw * 2 + 3) + "s %" + (pw * 2 + 3) + "s length: %" + (pw + 1) + "s flags:%n",
                    "logical_offset:",
                    "physical_offset:",
                    "expected:"));
        }
        int found = 0;
        long nextPhysical = -1;
        long nextLogical = 0;
        for (int i = 0; i < r.extents().size(); i++) {
            FiemapExtent e = r.extents().get(i);
            long logical = e.logical() / bs;
            long physical = e.physical() / bs;
            long length = (e.length() + bs - 1) / bs;
            long expected = i == 0 ? 0 : nextPhysical + (logical - nextLogical);
            boolean discontiguous = i == 0 || physical != expected;
            if (discontiguous) {
                found++;
            }
            if (verbose) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%4d: %" + lw + "d..%" + lw + "d: %" + pw + "d..%" + pw + "d: %6d:",
                        i,
                        logical,
                        logical + length - 1,
                        physical,
                        physical + length - 1,
                        length));
                if (i > 0 && discontiguous) {
                    sb.append(String.format(Locale.ROOT, " %" + pw + "d:", expected));
                } else {
                    sb.append(" ".repeat(pw + 2));
                }
                sb.append(flags(e, r.size())).append('\n');
            }
            nextPhysical = physical + length;
            nextLogical = logical + length;
        }
        return sb.append(String.format(Locale.ROOT, "%s: %d extent%s found%n", r.name(), found, found == 1 ? "" : "s"))
                .toString();
    }

    /**
     * The flags column as e2fsprogs 1.47 prints it: the named FIEMAP flags after a space, comma-separated, then
     * ",eof" when the extent reaches the end of the file (so an extent with eof alone shows ",eof").
     */
    static String flags(FiemapExtent e, long size) {
        List<String> named = new ArrayList<>();
        String[] names = {
            "last",
            "unknown_loc",
            "delalloc",
            "encoded",
            null,
            null,
            null,
            "encrypted",
            "not_aligned",
            "inline",
            "tail_packed",
            "unwritten",
            "merged",
            "shared"
        };
        for (int bit = 0; bit < names.length; bit++) {
            if ((e.flags() & (1 << bit)) != 0 && names[bit] != null) {
                named.add(names[bit]);
            }
        }
        return (named.isEmpty() ? "" : " " + String.join(",", named)) + (e.end() >= size ? ",eof" : "");
    }
}
