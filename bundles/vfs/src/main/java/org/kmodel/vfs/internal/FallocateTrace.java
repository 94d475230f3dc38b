package org.kmodel.vfs.internal;

import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;

/**
 * The {@code kmodel:vfs_fallocate_enter}/{@code vfs_fallocate_exit} tracepoints around the filesystem's
 * {@code ->fallocate} in {@code vfs_fallocate} (fs/open.c; the kernel has none there, the model's trace bundle
 * defines them). Looked up once when the registry binds, never per call; a call site asks {@link #on()} first,
 * so with tracing off (or no trace bundle) it costs one field read and a folded {@code enabled()}: no strings,
 * no boxes, no varargs array.
 */
final class FallocateTrace {
    static final FallocateTrace NONE = new FallocateTrace(null, null);

    private final Tracepoint enter;
    private final Tracepoint exit;

    private FallocateTrace(Tracepoint enter, Tracepoint exit) {
        this.enter = enter;
        this.exit = exit;
    }

    /** The two tracepoints of {@code registry}; {@link #NONE} if it has neither. */
    static FallocateTrace of(TracepointRegistry registry) {
        Tracepoint en = registry.find("kmodel", "vfs_fallocate_enter");
        Tracepoint ex = registry.find("kmodel", "vfs_fallocate_exit");
        return en == null && ex == null ? NONE : new FallocateTrace(en, ex);
    }

    boolean enterOn() {
        return enter != null && enter.enabled();
    }

    boolean exitOn() {
        return exit != null && exit.enabled();
    }

    void enter(long dev, long ino, int mode, long offset, long len) {
        enter.fire(devName(dev), ino, mode, offset, len);
    }

    void exit(long dev, long ino, int mode, long offset, long len, int ret) {
        exit.fire(devName(dev), ino, mode, offset, len, ret);
    }

    /**
     * {@code MAJOR:MINOR} of an st_dev value as glibc's {@code major()}/{@code minor()} decode it
     * ({@code new_decode_dev}); the model's anonymous devices are {@code 0:N}.
     */
    static String devName(long dev) {
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        return major + ":" + minor;
    }
}
