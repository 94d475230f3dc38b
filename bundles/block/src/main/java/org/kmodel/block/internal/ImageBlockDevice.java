package org.kmodel.block.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * An image file of the host used as a disk (drivers/block/loop.c). Written data reaches the host page
 * cache at once; {@code flush} and FUA writes call fsync (loop's REQ_PREFLUSH handling, lo_req_flush).
 */
public final class ImageBlockDevice extends AbstractBlockDevice {
    private final FileChannel channel;

    private ImageBlockDevice(Path image, long size, FileChannel channel) {
        super(image.getFileName().toString(), size, 512);
        this.channel = channel;
    }

    /** Opens or (with {@code createSize > 0}) creates a sparse image; see BlockDeviceFactory#openImage. */
    public static ImageBlockDevice open(Path image, long createSize) {
        try {
            boolean exists = Files.exists(image);
            if (!exists && createSize <= 0) {
                throw new KernelException(Errno.ENOENT, image.toString());
            }
            if ((!exists || Files.size(image) == 0) && createSize < 512) {
                // not even one sector: refused before a file is created or extended
                throw new KernelException(Errno.EINVAL, image + ": size " + createSize + " is smaller than a sector");
            }
            if (exists && Files.isDirectory(image)) {
                throw new KernelException(Errno.EISDIR, image.toString());
            }
            // A missing parent directory is ENOENT, as for mkfs.ext4 and mkfs.xfs: a host directory is never
            // created on the way (issue 12: kmodel touches only the host path the user named).
            FileChannel ch = FileChannel.open(
                    image, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (!exists || size == 0) {
                size = createSize / 512 * 512;
                // RandomAccessFile.setLength-style extension: the file stays sparse on the host.
                ch.write(ByteBuffer.allocate(1), size - 1);
                ch.write(ByteBuffer.allocate(0), 0);
            }
            return new ImageBlockDevice(image, size / 512 * 512, ch);
        } catch (NoSuchFileException e) {
            throw new KernelException(Errno.ENOENT, image.toString(), e);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, image.toString(), e);
        }
    }

    @Override
    void doRead(long offset, byte[] buf, int off, int len) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        try {
            while (b.hasRemaining()) {
                int n = channel.read(b, offset + (b.position() - off));
                if (n < 0) {
                    // Past the end of a file that shrank under us: the missing part reads as zeros.
                    java.util.Arrays.fill(buf, b.position(), off + len, (byte) 0);
                    break;
                }
            }
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, name() + ": read", e);
        }
    }

    @Override
    void doWrite(long offset, byte[] buf, int off, int len, boolean fua) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        try {
            while (b.hasRemaining()) {
                channel.write(b, offset + (b.position() - off));
            }
            if (fua) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, name() + ": write", e);
        }
    }

    @Override
    void doFlush() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, name() + ": flush", e);
        }
    }

    @Override
    void doClose() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
