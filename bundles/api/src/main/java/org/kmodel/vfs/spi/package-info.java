/**
 * The filesystem-type SPI (include/linux/fs.h: {@code file_system_type}, {@code super_operations},
 * {@code inode_operations}, {@code address_space_operations}, {@code file_operations->fallocate}).
 * A filesystem is a bundle that registers a {@link org.kmodel.vfs.spi.FileSystemType} service; the VFS
 * bundle consumes it.
 *
 * <h2>Division of work (as in Linux)</h2>
 * <ul>
 * <li><b>The VFS owns</b> the namespace (mounts, path walk, symlink resolution, name checks), open file
 * descriptions and access modes, the per-inode <b>page cache</b> (pages of {@link org.kmodel.vfs.Vfs#PAGE_SIZE}
 * bytes, dirty tracking, writeback, invalidation, file mappings), SEEK_DATA/SEEK_HOLE (computed from the
 * filesystem's {@link org.kmodel.vfs.spi.Inode#mapExtents extent map} plus the page cache), the generic
 * checks of every system call (fallocate's {@code vfs_fallocate} order, permissions, immutable/append-only,
 * EXDEV, ENOTEMPTY pre-checks where the kernel does them in the VFS), timestamps and set-id clearing.</li>
 * <li><b>The filesystem owns</b> the durable state: directories, attributes, the block map and the data
 * blocks, and the per-filesystem fallocate semantics (which modes, alignment, EOF rules, how extents move).
 * It is reached only at page granularity for data
 * ({@link org.kmodel.vfs.spi.Inode#readPage readPage}/{@link org.kmodel.vfs.spi.Inode#writePage writePage},
 * the {@code ->read_folio}/{@code ->writepages} of address_space_operations) and through
 * {@link org.kmodel.vfs.spi.Inode#fallocate fallocate}.</li>
 * </ul>
 *
 * <h2>Locking</h2>
 * The VFS serialises every call into one {@link org.kmodel.vfs.spi.SuperBlock} and its inodes (the model's
 * equivalent of i_rwsem plus the rename lock held across a whole system call). A filesystem therefore needs
 * no locking for its own state unless it shares state between super blocks or with other threads it starts.
 *
 * <h2>Errors</h2>
 * Every method reports failure by throwing {@link org.kmodel.kernel.KernelException} with the errno the
 * kernel's filesystem returns, and must leave its state unchanged when it does (documented exceptions:
 * ext4's partial allocation on ENOSPC, which the real ext4 also keeps).
 *
 * <h2>Hot swap</h2>
 * A mount keeps the {@code SuperBlock} the type's {@code mount} returned until umount; a type
 * registered later with the same name (higher {@code service.ranking}) is used for the next mount. The
 * VFS refuses to unregister a mounted type with EBUSY, and, when a module loader runs, a mount holds a module
 * reference ({@code try_module_get(fs->owner)}) on the module whose bundle registered the type, so rmmod of a
 * mounted filesystem fails. Durable state that must survive a swap belongs below the filesystem (on its block
 * device), never in the {@code FileSystemType} object.
 *
 * <h2>Files outside the page cache</h2>
 * procfs and sysfs files (and device nodes a filesystem may serve) answer {@link org.kmodel.vfs.spi.Inode#directIo()}
 * with true; the VFS then hands read(2)/write(2) to {@code readDirect}/{@code writeDirect} unchanged.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.kmodel.vfs.spi;
