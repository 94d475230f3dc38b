package org.kmodel.module.sig.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.kmodel.kernel.KernelRelease;

/**
 * {@code make modules_install} for the sample modules: for every release, stamps each module jar with
 * that kernel's vermagic (what modpost writes into {@code .mod.c}; a module that declares its own keeps
 * it), signs in-tree modules with the build key in the release's trailer form, and installs them as
 * {@code lib/modules/<uname -r>/{kernel/drivers/kmodel,kernel/drivers/staging,extra}/<name>.ko}.
 * Usage: {@code ModulesInstall <jar-dir> <key.pem> <out-dir>}.
 */
public final class ModulesInstall {
    private ModulesInstall() {}

    public static void main(String[] args) throws IOException {
        Path jars = Paths.get(args[0]);
        byte[] key = Files.readAllBytes(Paths.get(args[1]));
        Path out = Paths.get(args[2]);
        List<Path> list;
        try (Stream<Path> s = Files.list(jars)) {
            list = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (KernelRelease r : KernelRelease.values()) {
            String vermagic = r.unameRelease() + " SMP mod_unload";
            for (Path jar : list) {
                install(Files.readAllBytes(jar), r, vermagic, key, out.resolve("lib/modules/" + r.unameRelease()));
            }
        }
    }

    static void install(byte[] jar, KernelRelease r, String vermagic, byte[] key, Path dir) throws IOException {
        Manifest mf;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            mf = in.getManifest();
        }
        Attributes a = mf == null ? null : mf.getMainAttributes();
        if (a == null || a.getValue("Kmodel-Module-Name") == null) {
            return;
        }
        String name = a.getValue("Kmodel-Module-Name");
        if (a.getValue("Kmodel-Vermagic") == null) {
            a.putValue("Kmodel-Vermagic", vermagic);
        }
        byte[] module = rewrite(jar, mf);
        boolean intree = "Y".equals(a.getValue("Kmodel-Intree"));
        boolean staging = "Y".equals(a.getValue("Kmodel-Staging"));
        if (intree) {
            SignFile s = new SignFile();
            module = s.signFile(
                    "sha256",
                    key,
                    key,
                    module,
                    r.atLeast(4, 3)
                            ? org.kmodel.module.ModuleSigner.Form.PKCS7
                            : org.kmodel.module.ModuleSigner.Form.X509,
                    false);
        }
        Path sub = dir.resolve(!intree ? "extra" : staging ? "kernel/drivers/staging" : "kernel/drivers/kmodel");
        Files.createDirectories(sub);
        Files.write(sub.resolve(name + ".ko"), module);
        System.out.println("  INSTALL " + sub.resolve(name + ".ko") + (intree ? " (signed)" : ""));
    }

    /** The same jar with a new manifest; entries keep their order and bytes. */
    static byte[] rewrite(byte[] jar, Manifest mf) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar));
                JarOutputStream out = new JarOutputStream(bos, mf)) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                JarEntry copy = new JarEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return bos.toByteArray();
    }
}
