/**
 * The virtual filesystem as user space sees it (include/linux/fs.h, include/uapi/linux/falloc.h,
 * include/uapi/linux/fiemap.h, include/uapi/linux/fs.h): the {@link org.kmodel.vfs.Vfs} service (path
 * operations, mount table, {@code open}), open file descriptions ({@link org.kmodel.vfs.OpenFile}:
 * read/write/lseek incl. SEEK_DATA/SEEK_HOLE, fallocate, ftruncate, fsync, FIEMAP, mmap) and the DTOs and
 * flag constants with their Linux values.
 *
 * <p>Filesystem implementations do not use this package's services; they implement
 * {@link org.kmodel.vfs.spi} instead. Every failure is a {@link org.kmodel.kernel.KernelException}
 * carrying the errno the real system call returns, and leaves no partial change behind.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.vfs;
