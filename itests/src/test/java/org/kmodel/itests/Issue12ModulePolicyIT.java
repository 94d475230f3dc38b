package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 12, item 2, end to end with ./kmodel: a running kernel never weakens its module policy.
 * (a) a .cfg in load/ cannot switch signature checking off or add a key; (b) a *.ko already in load/ at boot
 * goes through the loader (load/ is scanned only after the loader is up); (c) felix:install/start are gone and
 * Gogo's reflective installBundle cannot start code; (d) a module jar with its Kmodel-* headers stripped is
 * still a module. Every case is run with module.sig_enforce=1 (refused) and, where it matters, without (loaded
 * through the loader, tainted).
 */
public class Issue12ModulePolicyIT {
    private Path state;
    private Path scratch;

    @Before
    public void dirs() throws IOException {
        state = Files.createTempDirectory("kmodel-issue12-state");
        scratch = Files.createTempDirectory("kmodel-issue12-scratch");
        Files.createDirectories(state.resolve("load"));
    }

    @After
    public void clean() throws IOException {
        Issue12Kmodel.delete(state);
        Issue12Kmodel.delete(scratch);
    }

    /** The distribution's kmodel_oot as the model has it. */
    private static final String MODEL_OOT = "/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko";

    /** The -c prefix that mounts the host's scratch directory at /mnt/scratch (hostfs is no boot feature). */
    private String mountScratch() {
        return "feature:install fs-hostfs; mkdir -p /mnt/scratch; mount -t hostfs " + scratch + " /mnt/scratch; ";
    }

    private Path module(String name) {
        return Issue12Kmodel.MODULES.toPath().resolve("extra").resolve(name + ".ko");
    }

    @Test
    public void a_cfgInLoadChangesNeitherTheLoaderNorTheKeyring() throws Exception {
        assumeTrue(
                "openssl is needed to make a key the kernel does not trust",
                new ProcessBuilder("openssl", "version")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0);
        Path rogue = scratch.resolve("rogue");
        Files.createDirectories(rogue);
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-new",
                        "-nodes",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-keyout",
                        rogue.resolve("rogue.pem").toString(),
                        "-out",
                        rogue.resolve("rogue.pem").toString(),
                        "-subj",
                        "/CN=rogue",
                        "-days",
                        "2")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        // issue 11: the key is a host file by nature; the module and its signed copy are model paths, the copy
        // written to the host on purpose, through a hostfs mount of the scratch directory
        Path host = scratch.resolve("rogue-signed.ko");
        String signed = "/mnt/scratch/rogue-signed.ko";
        Issue12Kmodel.Run sign = Issue12Kmodel.run(
                state,
                "-c",
                mountScratch() + "sign-file -F x509 sha256 " + rogue.resolve("rogue.pem") + " "
                        + rogue.resolve("rogue.pem") + " " + MODEL_OOT + " " + signed);
        assertEquals(sign.toString(), 0, sign.status());
        assertTrue(sign.toString(), Files.size(host) > Files.size(module("kmodel_oot")));
        Path load = state.resolve("load");
        Files.writeString(load.resolve("org.kmodel.module.keyring.cfg"), "keyDir=" + rogue + "\nbuildKey=true\n");
        Files.writeString(load.resolve("org.kmodel.module.loader.cfg"), "moduleSig=false\nsigForce=false\n");
        Files.writeString(load.resolve("org.kmodel.module.internal.ModuleLoaderComponent.cfg"), "moduleSig=false\n");
        Issue12Kmodel.Run r = Issue12Kmodel.run(
                state,
                "-D",
                "module.sig_enforce=1",
                "-c",
                mountScratch() + "insmod " + signed + "; insmod " + MODEL_OOT
                        + "; lsmod; cat /proc/sys/kernel/tainted");
        assertEquals(r.toString(), 1, r.status());
        assertEquals(r.toString(), "Module                  Size  Used by\n0\n", r.out());
        assertTrue(
                r.toString(),
                r.err().contains("insmod: ERROR: could not insert module " + signed + ": Required key not available"));
        assertTrue(
                r.toString(),
                r.err()
                        .contains("kmodel: load: org.kmodel.module.loader: the module policy is fixed at "
                                + "boot (-D kmodel.module.*), configuration ignored: Operation not permitted"));
        assertTrue(r.toString(), r.err().contains("kmodel: load: org.kmodel.module.keyring: the module policy"));
        // the control: the same key given at boot (-D kmodel.module.keydir) is trusted
        Files.delete(load.resolve("org.kmodel.module.keyring.cfg"));
        Files.delete(load.resolve("org.kmodel.module.loader.cfg"));
        Files.delete(load.resolve("org.kmodel.module.internal.ModuleLoaderComponent.cfg"));
        Issue12Kmodel.Run boot = Issue12Kmodel.run(
                state,
                "-D",
                "module.sig_enforce=1",
                "-D",
                "kmodel.module.keydir=" + rogue,
                "-c",
                mountScratch() + "insmod " + signed + "; lsmod");
        assertEquals(boot.toString(), 0, boot.status());
        assertTrue(boot.toString(), boot.out().contains("kmodel_oot"));
    }

    @Test
    public void b_aModuleInLoadAtBootGoesThroughTheLoader() throws Exception {
        Files.copy(module("kmodel_proprietary"), state.resolve("load/kmodel_proprietary.ko"));
        Issue12Kmodel.Run enforcing =
                Issue12Kmodel.run(state, "-D", "module.sig_enforce=1", "-c", "lsmod; cat /proc/sys/kernel/tainted; lb");
        assertEquals(
                enforcing.toString(),
                "Module                  Size  Used by\n0",
                enforcing.out().substring(0, enforcing.out().indexOf("\nSTART LEVEL")));
        assertFalse(enforcing.toString(), enforcing.out().contains("kmodel_proprietary"));
        assertFalse(enforcing.toString(), enforcing.err().contains("kmodel_proprietary: init"));
        Issue12Kmodel.Run open = Issue12Kmodel.run(state, "-c", "lsmod; cat /proc/modules");
        assertEquals(open.toString(), 0, open.status());
        assertTrue(open.toString(), open.out().contains("kmodel_proprietary     "));
        assertTrue(open.toString(), open.out().contains("(POE)"));
    }

    @Test
    public void c_felixManagementCommandsAreGoneAndReflectiveInstallsDoNotRun() throws Exception {
        Issue12Kmodel.Run r = Issue12Kmodel.run(state, "-c", "felix:install file:/nonexistent.jar");
        assertEquals(r.toString(), 1, r.status());
        assertEquals("felix:install: command not found\n", r.err());
        Path ko = module("kmodel_proprietary");
        Issue12Kmodel.Run felix = Issue12Kmodel.run(
                state,
                "-c",
                "felix:install file:" + ko + "; felix:start 40; "
                        + "felix:update 14; felix:stop 14; felix:uninstall 14; felix:refresh; scr:disable x; cm:listConfigurations");
        assertEquals(felix.toString(), 1, felix.status());
        for (String c : new String[] {
            "felix:install",
            "felix:start",
            "felix:update",
            "felix:stop",
            "felix:uninstall",
            "felix:refresh",
            "scr:disable",
            "cm:listConfigurations"
        }) {
            assertTrue(felix.toString(), felix.err().contains(c + ": command not found\n"));
        }
        Issue12Kmodel.Run reflect = Issue12Kmodel.run(
                state,
                "-D",
                "module.sig_enforce=1",
                "-c",
                "b = ${.context} installBundle file:" + ko + "; $b start; lsmod; cat /proc/sys/kernel/tainted");
        assertEquals(reflect.toString(), 1, reflect.status());
        assertTrue(
                reflect.toString(),
                reflect.err()
                        .contains(
                                "$b: code not loaded through the module loader (insmod) is not run: Operation not permitted"));
        assertFalse(reflect.toString(), reflect.err().contains("kmodel_proprietary: init"));
        assertTrue(reflect.toString(), reflect.out().endsWith("Module                  Size  Used by\n0\n"));
        // the read-only commands stay
        Issue12Kmodel.Run ro = Issue12Kmodel.run(state, "-c", "lb; help lsmod; scr:list");
        assertEquals(ro.toString(), 0, ro.status());
    }

    @Test
    public void d_aModuleWithItsHeadersStrippedIsStillAModule() throws Exception {
        Path stripped = state.resolve("load/stripped.jar");
        Files.write(stripped, strip(module("kmodel_proprietary")));
        Issue12Kmodel.Run enforcing =
                Issue12Kmodel.run(state, "-D", "module.sig_enforce=1", "-c", "lsmod; cat /proc/sys/kernel/tainted");
        assertEquals(enforcing.toString(), "Module                  Size  Used by\n0\n", enforcing.out());
        assertTrue(enforcing.toString(), enforcing.err().contains("stripped.jar"));
        Issue12Kmodel.Run open = Issue12Kmodel.run(state, "-c", "cat /proc/modules");
        assertTrue(open.toString(), open.out().startsWith("org_kmodel_sample_kmodel_proprietary "));
        assertTrue(open.toString(), open.out().contains("(P"));
        assertTrue(open.toString(), open.out().contains("E)"));
    }

    /** The jar without any Kmodel-* manifest header (continuation lines unfolded first). */
    static byte[] strip(Path jar) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipFile z = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(bos)) {
            String mf = new String(
                            z.getInputStream(z.getEntry("META-INF/MANIFEST.MF")).readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\r\n", "\n");
            List<String> lines = new ArrayList<>();
            for (String l : mf.split("\n")) {
                if (l.startsWith(" ") && !lines.isEmpty()) {
                    lines.set(lines.size() - 1, lines.get(lines.size() - 1) + l.substring(1));
                } else if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
            lines.removeIf(l -> l.startsWith("Kmodel-"));
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (var e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().equals("META-INF/MANIFEST.MF")) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(z.getInputStream(entry).readAllBytes());
                    out.closeEntry();
                }
            }
        }
        return bos.toByteArray();
    }
}
