package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Issue 12, item 1, with two real ./kmodel processes on one --state: the second prints one line and exits 1
 * without touching the disk images; once the first has ended, the state is usable again and holds the first
 * one's files.
 */
public class Issue12TwoKmodelsIT {
    @Test
    public void theSecondKmodelOnAStateDirectoryIsRefusedAndChangesNothing() throws Exception {
        Path state = Files.createTempDirectory("kmodel-issue12-two");
        try {
            // the first kmodel reads its commands from stdin: it boots, holds the lock and waits for EOF
            Process first = Issue12Kmodel.builder(state)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader firstOut =
                    new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(state.resolve("root.img")) || Files.size(state.resolve("lock")) == 0) {
                assertTrue("the first kmodel did not boot", System.nanoTime() < deadline);
                Thread.sleep(100);
            }
            Thread.sleep(500);
            long imageBefore = Files.size(state.resolve("root.img"));
            Issue12Kmodel.Run second = Issue12Kmodel.run(state, "-c", "write /second x; sync");
            assertEquals(second.toString(), 1, second.status());
            assertEquals(second.toString(), "", second.out());
            assertEquals(
                    second.toString(),
                    "kmodel: state directory " + state.toRealPath() + " is in use by another kmodel (pid "
                            + pidOfJava(first) + "): Resource temporarily unavailable\n",
                    second.err());
            assertEquals(imageBefore, Files.size(state.resolve("root.img")));
            try (OutputStream in = first.getOutputStream()) {
                in.write("write /first hello\nsync\ncat /first\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("hello", firstOut.readLine());
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, first.exitValue());
            Issue12Kmodel.Run after = Issue12Kmodel.run(state, "-c", "cat /first; cat /second");
            assertEquals(after.toString(), "hello\n", after.out());
            assertEquals(after.toString(), "cat: /second: No such file or directory\n", after.err());
        } finally {
            Issue12Kmodel.delete(state);
        }
    }

    /** ./kmodel is a bash script that runs java as its child: the lock's owner is that child. */
    private static long pidOfJava(Process launcher) {
        return launcher.toHandle()
                .children()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElse(-1L);
    }
}
