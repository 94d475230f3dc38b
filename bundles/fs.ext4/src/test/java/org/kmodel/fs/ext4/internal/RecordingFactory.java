package org.kmodel.fs.ext4.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;

/**
 * Opens images through a write recorder, so a test can cut the power at any moment (the crash tests of this
 * package: {@code Issue12IdleCommitTest}, {@code Issue12NoNulBytesAfterCrashTest}).
 */
final class RecordingFactory implements BlockDeviceFactory {
    final BlockDeviceFactory real = TestBlockDevices.factory();
    final List<WriteRecorder> recorders = new CopyOnWriteArrayList<>();

    @Override
    public BlockDevice openImage(Path image, long createSize) {
        WriteRecorder r = real.record(real.openImage(image, createSize));
        recorders.add(r);
        return r;
    }

    @Override
    public BlockDevice memory(String name, long size, int logicalBlockSize) {
        return real.memory(name, size, logicalBlockSize);
    }

    @Override
    public WriteRecorder record(BlockDevice device) {
        return real.record(device);
    }
}
