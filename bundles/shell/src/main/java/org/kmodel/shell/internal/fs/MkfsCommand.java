package org.kmodel.shell.internal.fs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.fs.Mkfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * mkfs(8): {@code mkfs -t ext4|xfs [-b BLOCKSIZE] [-C CLUSTERSIZE] IMAGE [SIZE]}. The image is a host file (a relative name is in the state directory, as for mount),
 * created sparse when missing (what {@code truncate -s SIZE img; mkfs -t TYPE img} does); {@code -C} makes an
 * ext4 bigalloc filesystem. Sizes take K, M, G, T suffixes (powers of 1024).
 */
@Component(
        service = MkfsCommand.class,
        property = {"osgi.command.scope=fs", "osgi.command.function=mkfs"})
public final class MkfsCommand {
    private final List<Mkfs> makers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMkfs(Mkfs m) {
        makers.add(m);
    }

    void removeMkfs(Mkfs m) {
        makers.remove(m);
    }

    @Descriptor(
            "build a filesystem on an image file: mkfs -t ext4|xfs [-F] [-b BLOCKSIZE] [-C CLUSTERSIZE] IMAGE [SIZE]; IMAGE is a host file, on purpose (a relative name lives in --state); -F overwrites an existing file that is not a kmodel image")
    public String mkfs(@Descriptor("options, image path and size (e.g. -t xfs -b 1024 data.img 1G)") String... args) {
        Getopt o = Getopt.parse(args, "t:b:C:Ffq", "type=t");
        String type = o.value('t') == null ? "ext4" : o.value('t');
        Map<String, String> opts = new LinkedHashMap<>();
        if (o.value('b') != null) {
            opts.put("blocksize", String.valueOf(parseSize(o.value('b'))));
        }
        if (o.value('C') != null) {
            opts.put("cluster", String.valueOf(parseSize(o.value('C'))));
        }
        if (o.has('F') || o.has('f')) {
            opts.put("force", "");
        }
        List<String> rest = o.operands();
        if (rest.isEmpty() || rest.size() > 2) {
            throw new KernelException(Errno.EINVAL, "usage: mkfs -t TYPE [-b BLOCKSIZE] [-C CLUSTERSIZE] IMAGE [SIZE]");
        }
        long size = rest.size() == 2 ? parseSize(rest.get(1)) : 0;
        return maker(type).mkfs(Path.of(rest.get(0)), size, opts).report();
    }

    private Mkfs maker(String type) {
        for (Mkfs m : makers) {
            if (m.type().equals(type)) {
                return m;
            }
        }
        throw new KernelException(Errno.ENODEV, "mkfs: unknown filesystem type '" + type + "'");
    }

    /** "4096", "4k", "64K", "1G": mke2fs-style sizes in powers of 1024. */
    static long parseSize(String s) {
        try {
            long v = org.kmodel.kernel.Sizes.memparse(s);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KernelException(Errno.EINVAL, "mkfs: invalid size '" + s + "'");
        }
    }
}
