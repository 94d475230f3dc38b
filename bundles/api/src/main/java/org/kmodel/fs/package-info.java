/**
 * Making and checking filesystems (mkfs(8), fsck(8)): each disk filesystem bundle registers a
 * {@link org.kmodel.fs.Mkfs} and a {@link org.kmodel.fs.Fsck} service with the property {@code kmodel.fs.type};
 * the shell's {@code mkfs -t TYPE} and {@code fsck -t TYPE} call them, and the boot runs fsck with
 * {@code fsck.mode=force}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.kmodel.fs;
