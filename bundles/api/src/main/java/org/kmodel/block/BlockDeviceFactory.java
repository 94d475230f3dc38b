package org.kmodel.block;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes block devices: image files on the host (what {@code losetup} gives), sparse memory devices for
 * tests, and recorders that log every write and flush of another device.
 */
@ProviderType
public interface BlockDeviceFactory {
    /**
     * Opens an image file as a device with 512-byte logical blocks. When the file does not exist and
     * {@code createSize > 0} it is created sparse with that size (rounded down to 512); an existing file
     * keeps its size. A missing file with {@code createSize <= 0} fails with ENOENT.
     */
    BlockDevice openImage(Path image, long createSize);

    /** A sparse in-memory device of {@code size} bytes (zero-filled), sector size {@code logicalBlockSize}. */
    BlockDevice memory(String name, long size, int logicalBlockSize);

    /** Wraps {@code device}: I/O passes through and is appended to a replayable log (dm-log-writes). */
    WriteRecorder record(BlockDevice device);
}
