package org.kmodel.block.internal;

import java.nio.file.Path;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.WriteRecorder;
import org.osgi.service.component.annotations.Component;

/** The block layer's device factory (what losetup, brd and dm-log-writes set up in the kernel). */
@Component(service = BlockDeviceFactory.class)
public final class BlockDevices implements BlockDeviceFactory {
    @Override
    public BlockDevice openImage(Path image, long createSize) {
        return ImageBlockDevice.open(image, createSize);
    }

    @Override
    public BlockDevice memory(String name, long size, int logicalBlockSize) {
        return new MemoryBlockDevice(name, size, logicalBlockSize);
    }

    @Override
    public WriteRecorder record(BlockDevice device) {
        return new RecordingBlockDevice(device);
    }
}
