package org.kmodel.block.testing;

import java.nio.file.Path;

import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.internal.BlockDevices;

/** The block bundle's {@link BlockDeviceFactory} for a test or benchmark that runs without OSGi. */
public final class TestBlockDevices {
    private TestBlockDevices() {}

    /** A new factory, the one the bundle registers as a service. */
    public static BlockDeviceFactory factory() {
        return new BlockDevices();
    }

    /** A RAM device of {@code size} bytes with a volatile write cache ({@link BlockDeviceFactory#memory}). */
    public static BlockDevice memory(String name, long size, int logicalBlockSize) {
        return factory().memory(name, size, logicalBlockSize);
    }

    /** A device backed by a host image file, created with {@code createSize} bytes if it is not there. */
    public static BlockDevice image(Path image, long createSize) {
        return factory().openImage(image, createSize);
    }

    /** A dm-log-writes style recorder over {@code lower}. */
    public static WriteRecorder record(BlockDevice lower) {
        return factory().record(lower);
    }
}
