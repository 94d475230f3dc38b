package org.kmodel.vfs.nio.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Whence;

/**
 * A {@link FileChannel} over an open VFS file ({@code struct file}): read/write at the file position, pread,
 * pwrite, lseek, ftruncate, fsync.
 *
 * <p>Two rules come from the shell rather than from java.nio:
 * <ul>
 * <li>A write error is thrown unchecked ({@link UncheckedIOException} around the {@code FileSystemException}).
 * Gogo's redirection and commands write through {@link java.io.PrintStream}, which swallows every
 * {@code IOException}; {@code echo 9 > /proc/sys/kernel/tainted} must fail visibly, as the write(2) of a
 * shell does.</li>
 * <li>On /proc and /sys (pseudo files whose owner parses each write(2) as a whole) writes are gathered up to a
 * newline and then handed over in one write, because a {@code PrintStream} writes {@code "3"} and
 * {@code "\n"} separately where {@code echo 3 > f} makes one write(2).</li>
 * </ul>
 */
final class VfsFileChannel extends FileChannel {
    private final OpenFile file;
    private final String path;
    private final boolean pseudo;
    private final boolean deleteOnClose;
    private final VfsFileSystemProvider provider;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    VfsFileChannel(VfsFileSystemProvider provider, OpenFile file, String path, boolean pseudo, boolean deleteOnClose) {
        this.provider = provider;
        this.file = file;
        this.path = path;
        this.pseudo = pseudo;
        this.deleteOnClose = deleteOnClose;
    }

    private IOException io(KernelException e) {
        return Errors.of(path, e);
    }

    private void checkOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return readAt(dst, -1);
    }

    /** read(2) at the file offset ({@code position < 0}) or pread(2) at {@code position}: at most 64 KiB a call. */
    private int readAt(ByteBuffer dst, long position) throws IOException {
        checkOpen();
        if (!OpenFlags.readable(file.flags())) {
            throw new NonReadableChannelException();
        }
        byte[] buf = new byte[Math.min(dst.remaining(), 1 << 16)];
        try {
            int n = position < 0 ? file.read(buf, 0, buf.length) : file.pread(position, buf, 0, buf.length);
            if (n <= 0) {
                return buf.length == 0 ? 0 : -1;
            }
            dst.put(buf, 0, n);
            return n;
        } catch (KernelException e) {
            throw io(e);
        }
    }

    private void checkWritable() throws IOException {
        checkOpen();
        if (!OpenFlags.writable(file.flags())) {
            throw new NonWritableChannelException();
        }
    }

    /** The buffers a scattering read or gathering write names: FileChannel's IndexOutOfBoundsException. */
    private static void checkRange(ByteBuffer[] buffers, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffers.length);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        checkRange(dsts, offset, length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkWritable();
        int n = src.remaining();
        byte[] buf = new byte[n];
        src.get(buf);
        if (pseudo) {
            pending.write(buf, 0, n);
            if (n > 0 && buf[n - 1] == '\n') {
                flushPending();
            }
            return n;
        }
        writeNow(buf);
        return n;
    }

    private void writeNow(byte[] buf) {
        try {
            file.write(buf, 0, buf.length);
        } catch (KernelException e) {
            throw new UncheckedIOException(io(e));
        }
    }

    private void flushPending() {
        if (pending.size() > 0) {
            byte[] buf = pending.toByteArray();
            pending.reset();
            writeNow(buf);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkRange(srcs, offset, length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        checkOpen();
        try {
            return file.lseek(0, Whence.SEEK_CUR);
        } catch (KernelException e) {
            throw io(e);
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        checkOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        try {
            file.lseek(newPosition, Whence.SEEK_SET);
            return this;
        } catch (KernelException e) {
            throw io(e);
        }
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        try {
            return file.fstat().size();
        } catch (KernelException e) {
            throw io(e);
        }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        checkOpen();
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (!OpenFlags.writable(file.flags())) {
            throw new NonWritableChannelException();
        }
        try {
            long pos = position();
            if (size < size()) {
                file.ftruncate(size);
            }
            if (pos > size) {
                position(size);
            }
            return this;
        } catch (KernelException e) {
            throw io(e);
        }
    }

    @Override
    public void force(boolean metaData) throws IOException {
        checkOpen();
        try {
            flushPending();
            file.fsync();
        } catch (KernelException e) {
            throw io(e);
        }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = read(buf, position + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                target.write(buf);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            done += write(buf, position + done);
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        checkPosition(position);
        return readAt(dst, position);
    }

    /** FileChannel's contract for a positional read or write. */
    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        checkPosition(position);
        checkWritable();
        byte[] buf = new byte[src.remaining()];
        src.get(buf);
        try {
            return file.pwrite(position, buf, 0, buf.length);
        } catch (KernelException e) {
            throw new UncheckedIOException(io(e));
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("use Vfs.open(...).mmap for kmodel's page-cache mappings");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("kmodel's VFS has no file locks");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("kmodel's VFS has no file locks");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            flushPending();
        } finally {
            file.close();
            if (deleteOnClose) {
                try {
                    provider.vfs().unlink(path);
                } catch (KernelException e) {
                    // already gone: DELETE_ON_CLOSE is best effort, as documented by StandardOpenOption
                }
            }
        }
    }
}
