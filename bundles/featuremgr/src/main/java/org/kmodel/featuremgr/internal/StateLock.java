package org.kmodel.featuremgr.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a state directory ({@code --state}): one running kmodel per directory, because two kernels
 * writing the same disk images corrupt each other (each caches metadata the other does not see). The lock is
 * an exclusive {@code fcntl} lock ({@link FileChannel#tryLock()}) on {@code <state>/lock}, held for the life
 * of the framework; the kernel releases it when the process ends, so a killed kmodel never leaves a stale lock.
 * The file also holds the owner's pid, only for the message the second process prints.
 */
final class StateLock implements AutoCloseable {
    static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails with the one line the second kmodel prints:
     * {@code state directory DIR is in use by another kmodel (pid N): Resource temporarily unavailable}
     * (EAGAIN, what {@code fcntl(F_SETLK)} returns for a lock held elsewhere).
     */
    static StateLock acquire(Path state) {
        Path file = state.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(state);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                l = null;
            }
            if (l == null) {
                String owner = owner(ch);
                ch.close();
                throw new FeatureException(
                        "state directory " + state + " is in use by another kmodel"
                                + (owner.isEmpty() ? "" : " (pid " + owner + ")"),
                        "Resource temporarily unavailable");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            return new StateLock(ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            boolean denied = e instanceof java.nio.file.AccessDeniedException;
            throw new FeatureException(
                    "state directory " + state + ": cannot lock " + file,
                    denied ? "Permission denied" : "Input/output error",
                    e);
        }
    }

    private static String owner(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it too
        }
        closeQuietly(channel);
    }

    /** {@code java ... StateLock DIR}: holds the lock until stdin closes (the two-process test's other process). */
    public static void main(String[] args) throws IOException {
        try (StateLock l = acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold
            }
        } catch (FeatureException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
