/**
 * Kernel core contracts (include/linux/kernel.h, errno.h, panic.h): errno values, the one
 * exception that carries them, the taint table, the release profile, and the /proc whiteboard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.kmodel.kernel;
