package org.kmodel.shell.internal.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.fs.Fsck;
import org.kmodel.fs.FsckResult;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * fsck(8) for kmodel's images: {@code fsck [-n|-y] -t ext4|xfs IMAGE}. Like e2fsck it refuses a mounted image,
 * prints one line per problem, and repairs only with {@code -y} ({@code -n}, and no option at all since nobody
 * can be asked, only check). The command fails (EUCLEAN) while problems are left.
 */
@Component(
        service = FsckCommand.class,
        property = {"osgi.command.scope=fs", "osgi.command.function=fsck"})
public final class FsckCommand {
    private final List<Fsck> checkers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFsck(Fsck f) {
        checkers.add(f);
    }

    void removeFsck(Fsck f) {
        checkers.remove(f);
    }

    @Descriptor("check (and with -y repair) an unmounted filesystem image: fsck [-n|-y] -t ext4|xfs IMAGE")
    public String fsck(
            @Descriptor("-n (check only), -y (repair), -t TYPE, the image (relative: in the state " + "directory)")
                    String... args) {
        Getopt o = Getopt.parse(args, "t:ypanf", "type=t");
        String type = o.value('t');
        boolean repair = o.has('y') || o.has('p') || o.has('a');
        boolean checkOnly = o.has('n');
        List<String> rest = o.operands();
        if (repair && checkOnly) {
            throw new KernelException(Errno.EINVAL, "fsck: only one of the options -n and -y may be given");
        }
        if (rest.size() != 1 || type == null) {
            throw new KernelException(Errno.EINVAL, "usage: fsck [-n|-y] -t TYPE IMAGE");
        }
        String image = rest.get(0);
        FsckResult r = checker(type).check(Path.of(image), repair);
        StringBuilder out = new StringBuilder();
        for (String p : r.problems()) {
            out.append(image).append(": ").append(p).append('\n');
        }
        if (r.clean()) {
            return out.append(image).append(": clean").toString();
        }
        if (r.repaired()) {
            return out.append(image)
                    .append(": ***** FILE SYSTEM WAS MODIFIED *****")
                    .toString();
        }
        System.out.print(out);
        System.out.flush();
        throw new KernelException(
                Errno.EUCLEAN,
                image + ": " + r.problems().size() + " problem(s) left"
                        + (repair ? "" : " (run fsck -y -t " + type + " " + image + " to repair)"));
    }

    private Fsck checker(String type) {
        for (Fsck f : checkers) {
            if (f.type().equals(type)) {
                return f;
            }
        }
        throw new KernelException(Errno.ENODEV, "fsck: unknown filesystem type '" + type + "'");
    }
}
