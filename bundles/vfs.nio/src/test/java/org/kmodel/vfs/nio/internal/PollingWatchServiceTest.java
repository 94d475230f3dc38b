package org.kmodel.vfs.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The polling watch service Gogo's {@code tail -f} uses on model paths (issue 11: no internal error). */
class PollingWatchServiceTest {
    @Test
    void aRegisteredPathIsToldToLookAgainUntilTheServiceCloses() throws Exception {
        PollingWatchService ws = new PollingWatchService();
        Path p = Path.of("/tmp"); // only carried as the key's watchable
        WatchKey k = ws.register(p);
        assertNull(ws.poll(), "nothing is signalled without a wait");
        assertSame(k, ws.take());
        assertSame(k, ws.poll(1, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), k.pollEvents());
        assertTrue(k.reset() && k.isValid());
        assertSame(p, k.watchable());
        ws.close();
        assertThrows(ClosedWatchServiceException.class, ws::take);
        assertThrows(ClosedWatchServiceException.class, () -> ws.register(p));
        assertTrue(!k.reset() && !k.isValid(), "a closed service's key is invalid");
    }

    @Test
    void takeIsInterruptible() {
        WatchService ws = new PollingWatchService();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, ws::take);
    }
}
