package org.kmodel.vfs;

/** lseek(2) {@code whence} values (include/uapi/linux/fs.h). */
public final class Whence {
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    /** Next offset {@code >= offset} that holds data; ENXIO if none before EOF. */
    public static final int SEEK_DATA = 3;
    /** Next offset {@code >= offset} in a hole; EOF counts as a hole; ENXIO if offset {@code >= size}. */
    public static final int SEEK_HOLE = 4;

    private Whence() {}
}
