package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmodel.vfs.spi.Inode;

/**
 * The ext4 (4k, 1k, bigalloc 64k) and xfs (4k, 1k) columns of the kernel matrix (docs/vfs.md#the-errno-matrix), row by row, against results
 * recorded on the real 6.18 kernel of this machine (tools/kernel-matrix.py with the fallocate-probe): result,
 * size, st_blocks, SEEK data map and content. FIEMAP boundaries are not compared (fs-specific, docs/vfs.md).
 */
class KernelMatrixTest {
    static Stream<Arguments> rows() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                KernelMatrixTest.class.getResourceAsStream("/kernel-6.18-matrix.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> rec = (Map<String, Object>) MiniJson.parse(line);
                out.add(Arguments.of(Named.of(rec.get("fs") + " " + rec.get("id"), rec)));
            }
        }
        return out.stream();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void modelMatchesKernel(Map<String, Object> rec) {
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(ModelProbe.profile((String) rec.get("fs")), 64L << 20);
        Inode f = ModelProbe.mk(sb, "m", (String) rec.get("base"), (Long) rec.get("baseSize"));
        for (Object s : (List<Object>) rec.get("setup")) {
            List<Object> step = (List<Object>) s;
            assertEquals(
                    "OK",
                    ModelProbe.run(f, (String) step.get(0), (Long) step.get(1), (Long) step.get(2), Long.MAX_VALUE),
                    "setup " + step);
        }
        long fsize = Long.MAX_VALUE;
        for (Object x : (List<Object>) rec.get("extra")) {
            if (((String) x).startsWith("fsize=")) {
                fsize = Long.parseLong(((String) x).substring(6));
            }
        }
        List<Object> op = (List<Object>) rec.get("op");
        String rc = ModelProbe.run(f, (String) op.get(0), (Long) op.get(1), (Long) op.get(2), fsize);
        String expected = "rc=" + rec.get("rc") + " size=" + rec.get("size") + " blocks=" + rec.get("blocks512")
                + " seek=" + rec.get("seek") + " content=" + rec.get("content");
        String actual = "rc=" + rc + " size=" + f.getattr().size() + " blocks="
                + f.getattr().blocks() + " seek=" + ModelProbe.seek(f) + " content="
                + ModelProbe.contentRuns(ModelProbe.content(f));
        assertEquals(expected, actual, "kernel fiemap was " + rec.get("fiemap"));
    }
}
