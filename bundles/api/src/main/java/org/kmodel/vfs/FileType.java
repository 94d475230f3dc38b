package org.kmodel.vfs;

/** The file type bits of {@code st_mode} (S_IFMT, include/uapi/linux/stat.h) and their ls(1) letters. */
public enum FileType {
    FIFO(0010000, 'p', "fifo"),
    CHARDEV(0020000, 'c', "character special file"),
    DIRECTORY(0040000, 'd', "directory"),
    BLOCKDEV(0060000, 'b', "block special file"),
    REGULAR(0100000, '-', "regular file"),
    SYMLINK(0120000, 'l', "symbolic link"),
    SOCKET(0140000, 's', "socket");

    public static final int S_IFMT = 0170000;

    private final int bits;
    private final char letter;
    private final String description;

    FileType(int bits, char letter, String description) {
        this.bits = bits;
        this.letter = letter;
        this.description = description;
    }

    /** The S_IFxxx bits. */
    public int bits() {
        return bits;
    }

    /** The first character of {@code ls -l}. */
    public char letter() {
        return letter;
    }

    /** What stat(1) prints for %F ("regular file"; "regular empty file" is decided by the caller). */
    public String description() {
        return description;
    }

    /** The type of a full st_mode; EINVAL-free: unknown bits give {@code null}. */
    public static FileType of(int mode) {
        int t = mode & S_IFMT;
        for (FileType f : values()) {
            if (f.bits == t) {
                return f;
            }
        }
        return null;
    }
}
