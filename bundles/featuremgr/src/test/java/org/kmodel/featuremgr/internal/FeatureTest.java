package org.kmodel.featuremgr.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature file reader, the Maven path mapping and the configuration type hints. */
class FeatureTest {
    static final String CORE = "{\n  // comment\n  \"feature-resource-version\": \"1.0\",\n"
            + "  \"id\": \"org.kmodel:kmodel-features:osgifeature:core:1.2.3\",\n  /* block */ \"name\": \"kmodel core\",\n"
            + "  \"bundles\": [ {\"id\": \"org.kmodel:org.kmodel.api:1.2.3\"}, \"org.kmodel:org.kmodel.kernel:1.2.3\" ],\n"
            + "  \"configurations\": { \"org.kmodel.kernel.sysctl\": { \"kernel.hostname\": \"box\", \"n:Integer\": 7 },"
            + " \"f~one\": { \"list:String[]\": [\"a\", \"b\"], \"flag:Boolean\": \"true\" } }\n}";

    @Test
    void readsTheR8Format() {
        Feature f = Feature.parse("core", CORE);
        assertEquals("org.kmodel:kmodel-features:osgifeature:core:1.2.3", f.id);
        assertEquals("1.2.3", f.version());
        assertEquals("kmodel core", f.title);
        assertEquals(List.of("org.kmodel:org.kmodel.api:1.2.3", "org.kmodel:org.kmodel.kernel:1.2.3"), f.bundles);
        assertEquals("box", f.configurations.get("org.kmodel.kernel.sysctl").get("kernel.hostname"));
    }

    @Test
    void mavenRepositoryLayout() {
        assertEquals(
                "org/kmodel/org.kmodel.api/1.2.3/org.kmodel.api-1.2.3.jar",
                Feature.repoPath("org.kmodel:org.kmodel.api:1.2.3"));
        assertEquals("org/x/a/1/a-1-tests.jar", Feature.repoPath("org.x:a:jar:tests:1"));
    }

    @Test
    void typeHintsAndFactoryPids() {
        Dictionary<String, Object> d = Configs.properties(Map.of("n:Integer", 7L, "s", "x", "l:Long", "9"));
        assertEquals(7, d.get("n"));
        assertEquals("x", d.get("s"));
        assertEquals(9L, d.get("l"));
        Dictionary<String, Object> a =
                Configs.properties(Map.of("list:String[]", List.of("a", "b"), "flag:Boolean", "true"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) a.get("list"));
        assertEquals(Boolean.TRUE, a.get("flag"));
        assertThrows(IllegalArgumentException.class, () -> Configs.properties(Map.of("x:Nope", "1")));
    }

    @Test
    void malformedFilesSayWhereAndWhy(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{ \"id\": \"a:b:c\",\n  \"bundles\": [ { \"id\" \"x\" } ] }");
        FeatureException e = assertThrows(FeatureException.class, () -> Feature.read(bad));
        assertEquals("bad.json: line 2, column 23: expected ':': Invalid argument", e.getMessage());
        Files.writeString(bad, "{ \"bundles\": [] }");
        e = assertThrows(FeatureException.class, () -> Feature.read(bad));
        assertTrue(e.getMessage().contains("missing or malformed \"id\""), e.getMessage());
        Files.writeString(bad, "[1, 2");
        assertThrows(FeatureException.class, () -> Feature.read(bad));
        e = assertThrows(FeatureException.class, () -> Feature.read(dir.resolve("none.json")));
        assertTrue(e.getMessage().endsWith(": No such file or directory"), e.getMessage());
    }

    @Test
    void jsonValues() {
        assertEquals(List.of(1L, 2.5, true, false, "a\"b\n"), Json.parse("[1, 2.5, true, false, \"a\\\"b\\n\"]"));
        assertEquals(Map.of(), Json.parse(" {} "));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("/* never closed"));
    }

    @Test
    void loadDirReporterClaimsOnlyNonBundles(@TempDir Path dir) throws Exception {
        File garbage = dir.resolve("x.jar").toFile();
        Files.writeString(garbage.toPath(), "garbage");
        LoadDirReporter r = new LoadDirReporter();
        assertTrue(r.canHandle(garbage));
        assertTrue(LoadDirReporter.reason(garbage).startsWith("not a jar"));
        assertEquals(false, r.canHandle(dir.resolve("x.cfg").toFile()));
    }
}
