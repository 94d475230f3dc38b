package org.kmodel.vfs;

/** One directory entry as getdents64(2) returns it; {@code "."} and {@code ".."} are not listed. */
public record DirEntry(String name, long ino, FileType type) {}
