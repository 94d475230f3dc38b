package org.kmodel.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.MountInfo;

/** --json renders the commands' records as they are. */
class JsonTest {
    enum State {
        LIVE
    }

    record Module(String name, long size, List<String> holders, State state, boolean signed) {}

    @Test
    void recordsMapsListsAndEscapes() {
        assertEquals(
                "{\"name\":\"kmodel_oot\",\"size\":6283,\"holders\":[\"a\",\"b\"],\"state\":\"LIVE\",\"signed\":false}",
                Json.of(new Module("kmodel_oot", 6283, List.of("a", "b"), State.LIVE, false)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"uote\\\n\t\u0001");
        m.put("n", null);
        assertEquals("{\"s\":\"q\\\"uote\\\\\\n\\t\\u0001\",\"n\":null}", Json.of(m));
        assertEquals(
                "[{\"id\":1,\"source\":\"tmpfs\",\"target\":\"/\",\"fsType\":\"tmpfs\",\"options\":\"rw\",\"dev\":2}]",
                Json.of(List.of(new MountInfo(1, "tmpfs", "/", "tmpfs", "rw", 2))));
    }
}
