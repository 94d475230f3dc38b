/**
 * Block devices (include/linux/blkdev.h, block/): a device of fixed size addressed in bytes but written in
 * whole logical blocks, with a volatile write cache that only {@code flush} (REQ_PREFLUSH) or a FUA write
 * makes durable, and a write recorder in the manner of dm-log-writes for crash-consistency tests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.block;
