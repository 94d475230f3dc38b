package org.kmodel.block.testing;

import java.nio.file.Path;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.internal.BlockDevices;
import org.kmodel.block.internal.MemoryBlockDevice;

/** The block bundle's {@link BlockDeviceFactory} for a test or benchmark that runs without OSGi. */
public final class TestBlockDevices {
    private TestBlockDevices() {}

    /** A new factory, the one the bundle registers as a service. */
    public static BlockDeviceFactory factory() {
        return new BlockDevices();
    }

    /** A sparse RAM disk of {@code size} bytes (drivers/block/brd.c): writes are durable at once. */
    public static BlockDevice memory(String name, long size, int logicalBlockSize) {
        return factory().memory(name, size, logicalBlockSize);
    }

    /** A host image file as a device; with {@code createSize > 0} created sparse with that size if missing. */
    public static BlockDevice image(Path image, long createSize) {
        return factory().openImage(image, createSize);
    }

    /** A dm-log-writes style recorder over {@code lower}. */
    public static WriteRecorder record(BlockDevice lower) {
        return factory().record(lower);
    }

    /** An independent copy of the content of a RAM device {@link #memory} made. */
    public static BlockDevice copy(BlockDevice memory, String newName) {
        if (!(memory instanceof MemoryBlockDevice m)) {
            throw new IllegalArgumentException("not a RAM device TestBlockDevices.memory made: " + memory);
        }
        return m.copy(newName);
    }
}
