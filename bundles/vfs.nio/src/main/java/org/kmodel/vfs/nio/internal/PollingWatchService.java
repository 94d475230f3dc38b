package org.kmodel.vfs.nio.internal;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WatchService} for model paths that polls: the model's VFS has no inotify (fs/notify/), so a watcher is
 * told "look again" every {@link #PERIOD_MILLIS} ms with no events, which is all Gogo's {@code tail -f} needs (it
 * re-reads the file after each key). {@link #take()} and {@link #poll(long, TimeUnit)} wait, so a follower costs
 * a wake-up every period, not a busy loop; they throw {@link InterruptedException} on Ctrl-C and
 * {@link ClosedWatchServiceException} once closed, as the JDK's watch services do.
 */
final class PollingWatchService implements WatchService {
    static final long PERIOD_MILLIS = 200;

    private volatile boolean closed;
    private final Key key = new Key();

    /** Path.register: every registered path shares the one key, which never carries events. */
    WatchKey register(Path path) {
        check();
        key.watched = path;
        return key;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public WatchKey poll() {
        check();
        return null; // nothing signalled yet: the next change is seen after a wait
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        check();
        long millis = Math.min(unit.toMillis(timeout), PERIOD_MILLIS);
        if (millis <= 0) {
            return null;
        }
        Thread.sleep(millis);
        check();
        return key;
    }

    @Override
    public WatchKey take() throws InterruptedException {
        check();
        Thread.sleep(PERIOD_MILLIS);
        check();
        return key;
    }

    private void check() {
        if (closed) {
            throw new ClosedWatchServiceException();
        }
    }

    private final class Key implements WatchKey {
        volatile Path watched;

        @Override
        public boolean isValid() {
            return !closed;
        }

        @Override
        public List<WatchEvent<?>> pollEvents() {
            return List.of();
        }

        @Override
        public boolean reset() {
            return !closed;
        }

        @Override
        public void cancel() {
            // the one shared key stays valid while the service is open
        }

        @Override
        public Watchable watchable() {
            return watched;
        }
    }
}
