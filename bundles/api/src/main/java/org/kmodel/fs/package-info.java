/**
 * Making filesystems (mkfs(8)): each disk filesystem bundle registers a {@link org.kmodel.fs.Mkfs} service
 * with the property {@code kmodel.fs.type}; the shell's {@code mkfs -t TYPE} calls it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.fs;
