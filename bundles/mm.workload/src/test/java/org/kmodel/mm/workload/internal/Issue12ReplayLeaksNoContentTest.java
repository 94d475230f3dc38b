package org.kmodel.mm.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** Issue 12 item 11: mm:replay of a file that is not a trace (e.g. /etc/shadow) never prints its content. */
class Issue12ReplayLeaksNoContentTest {
    private final WorkloadRunnerComponent runner = new WorkloadRunnerComponent(Kernels.all());

    @Test
    void item11ReplayOfASecretFileNamesNoneOfItsBytes(@TempDir Path dir) throws Exception {
        Path shadow = dir.resolve("shadow");
        Files.writeString(shadow, "root:$6$secrethash:20228:0:99999:7:::\nx y\n");
        KernelException e = assertThrows(KernelException.class, () -> runner.replay("vmacache", shadow));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("trace line 1: unknown event", e.what());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        Files.writeString(shadow, "mmap 1 zz\n");
        KernelException m = assertThrows(KernelException.class, () -> runner.replay("vmacache", shadow));
        assertFalse(m.getMessage().contains("zz"), m.getMessage());
    }
}
