package org.kmodel.kernel.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.TaintFlag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The global taint mask (kernel/panic.c {@code tainted_mask}, {@code add_taint}, {@code proc_taint}).
 * Bits are only ever OR-ed in (an atomic set_bit), so concurrent callers need no lock and no reader can
 * see a bit disappear. Immediate: the mask belongs to the boot, not to the first caller.
 */
@Component(service = Taint.class, immediate = true)
public class TaintState implements Taint {
    private final AtomicLong mask = new AtomicLong();
    private final KernelRelease release;

    @Activate
    public TaintState(@Reference ReleaseProfile profile) {
        this(profile.release());
    }

    TaintState(KernelRelease release) {
        this.release = release;
    }

    @Override
    public long mask() {
        return mask.get();
    }

    @Override
    public boolean isSet(TaintFlag flag) {
        return (mask.get() & flag.mask()) != 0;
    }

    @Override
    public Set<TaintFlag> flags() {
        return TaintFlag.decode(mask.get());
    }

    @Override
    public void add(TaintFlag flag) {
        if (!flag.existsIn(release)) {
            throw new KernelException(
                    Errno.EINVAL,
                    "taint " + flag.letter() + " (" + flag.kernelName() + ") does not exist in " + release.version());
        }
        set(flag.mask());
    }

    @Override
    public void addMask(long value) {
        // proc_taint() (kernel/sysctl.c, kernel/panic.c from 6.x): before 5.8 it called add_taint() for every
        // set bit of the unsigned long written, known or not, so the mask keeps all 64 bits (and
        // print_tainted shows only the letters it knows). 5.8 started masking the value with
        // TAINT_FLAGS_MAX (added to include/linux/kernel.h in 5.8 by db38d5c106df, "kernel: add
        // panic_on_taint"), so later kernels silently drop bits above TAINT_FLAGS_COUNT.
        set(release.atLeast(5, 8) ? value & TaintFlag.validMask(release) : value);
    }

    private void set(long bits) {
        // add_taint() itself logs nothing; "Disabling lock debugging due to kernel taint" depends on the
        // caller's lockdep argument, so the caller (the module loader) prints it.
        mask.getAndUpdate(m -> m | bits);
    }

    @Override
    public String tainted() {
        return TaintFormat.tainted(mask.get(), release);
    }

    @Override
    public java.util.List<String> chktaint(long value) {
        return TaintFormat.chktaint(value, release);
    }

    @Override
    public String moduleFlags(long moduleMask, boolean coming, boolean going) {
        return TaintFormat.moduleFlags(moduleMask, coming, going, release);
    }
}
