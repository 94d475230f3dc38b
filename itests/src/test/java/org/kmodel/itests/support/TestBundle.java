package org.kmodel.itests.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds a small bundle jar at test time from classes compiled with the tests, a manifest and optional DS
 * component XML: enough for hot-swap and hot-deploy tests without an extra Maven module. Example:
 * <pre>
 * File jar = new TestBundle("org.kmodel.itests.patch")
 *     .importPackage("org.kmodel.kernel")
 *     .add(PatchedProcFs.class)
 *     .component("patch", PatchedProcFs.class, "org.kmodel.kernel.ProcFs", "service.ranking:Integer=100")
 *     .write(new File(dir, "patch.jar"));
 * </pre>
 * Classes are found by name through the test class loader, so the caller can pass names instead of classes
 * to keep the probe free of API imports.
 */
public final class TestBundle {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final StringBuilder components = new StringBuilder();

    public TestBundle(String symbolicName) {
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", "1.0.0." + System.currentTimeMillis());
    }

    public TestBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public TestBundle importPackage(String packages) {
        return header("Import-Package", packages);
    }

    /** Adds a class (and its nested classes are not added automatically). */
    public TestBundle add(Class<?> type) {
        return add(type.getName());
    }

    public TestBundle add(String className) {
        String path = className.replace('.', '/') + ".class";
        try (InputStream in = TestBundle.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("class not found: " + className);
            }
            entries.put(path, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /**
     * Adds an immediate DS component providing {@code service} with properties "name=value" or
     * "name:Type=value".
     */
    public TestBundle component(String name, String implementation, String service, String... properties) {
        components
                .append("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"")
                .append(name)
                .append("\" immediate=\"true\">\n  <implementation class=\"")
                .append(implementation)
                .append("\"/>\n")
                .append("  <service><provide interface=\"")
                .append(service)
                .append("\"/></service>\n");
        for (String p : properties) {
            int eq = p.indexOf('=');
            String key = p.substring(0, eq);
            String type = "String";
            int colon = key.indexOf(':');
            if (colon > 0) {
                type = key.substring(colon + 1);
                key = key.substring(0, colon);
            }
            components
                    .append("  <property name=\"")
                    .append(key)
                    .append("\" type=\"")
                    .append(type)
                    .append("\" value=\"")
                    .append(p.substring(eq + 1))
                    .append("\"/>\n");
        }
        components.append("</scr:component>\n");
        return this;
    }

    public File write(File jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> main.putValue(k, v));
        if (components.length() > 0) {
            main.putValue("Service-Component", "OSGI-INF/components.xml");
            main.putValue(
                    "Require-Capability",
                    "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        }
        jar.getParentFile().mkdirs();
        File tmp = new File(jar.getParentFile(), "." + jar.getName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp.toPath());
                JarOutputStream out = new JarOutputStream(os, mf)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
            if (components.length() > 0) {
                out.putNextEntry(new JarEntry("OSGI-INF/components.xml"));
                out.write(
                        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<components>\n" + components + "</components>\n")
                                .getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        // appear atomically: FileInstall must never see a half-written jar
        Files.move(
                tmp.toPath(),
                jar.toPath(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }
}
