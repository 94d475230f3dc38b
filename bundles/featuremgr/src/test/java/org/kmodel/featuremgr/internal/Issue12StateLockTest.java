package org.kmodel.featuremgr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1: two kmodel processes on one state directory used to corrupt each other's disk images
 * silently. Now the second one gets one line naming the owner and EAGAIN. Two real processes: this JVM and a
 * child JVM holding the lock ({@link StateLock#main}); the end-to-end check with two ./kmodel is
 * Issue12TwoKmodelsIT.
 */
class Issue12StateLockTest {
    @TempDir
    Path state;

    @Test
    void aSecondProcessIsRefusedWithTheOwnersPidAndGetsTheLockOnceTheFirstEnds() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), StateLock.class.getName(), state.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            FeatureException e = assertThrows(FeatureException.class, () -> StateLock.acquire(state));
            assertEquals(
                    "state directory " + state + " is in use by another kmodel (pid " + holder.pid()
                            + "): Resource temporarily unavailable",
                    e.getMessage());
        } finally {
            holder.getOutputStream().close(); // the holder ends when its stdin closes
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (StateLock l = StateLock.acquire(state)) {
            assertEquals(
                    ProcessHandle.current().pid() + "",
                    Files.readString(state.resolve(StateLock.FILE)).strip());
        }
    }

    @Test
    void aKilledOwnerLeavesNoStaleLock() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), StateLock.class.getName(), state.toString())
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", r.readLine());
        holder.destroyForcibly(); // kill -9: the kernel drops the fcntl lock with the process
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        StateLock.acquire(state).close();
    }

    @Test
    void twoFrameworksInOneJvmAreRefusedToo() {
        try (StateLock first = StateLock.acquire(state)) {
            FeatureException e = assertThrows(FeatureException.class, () -> StateLock.acquire(state));
            assertTrue(
                    e.getMessage()
                            .endsWith("is in use by another kmodel (pid "
                                    + ProcessHandle.current().pid() + "): Resource temporarily unavailable"),
                    e.getMessage());
        }
        StateLock.acquire(state).close();
    }

    @Test
    void anUnwritableStateDirectoryIsOneLineToo() throws Exception {
        File f = state.resolve("file").toFile();
        Files.writeString(f.toPath(), "x");
        FeatureException e = assertThrows(FeatureException.class, () -> StateLock.acquire(f.toPath()));
        assertTrue(e.getMessage().startsWith("state directory " + f + ": cannot lock"), e.getMessage());
    }
}
