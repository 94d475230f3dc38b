package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner;
import org.kmodel.testing.Fakes;

/**
 * Issue 11, host files on purpose only: sign-file's key and certificate are host files, its module, destination and
 * {@code .p7s} are the model's. The model's file system here is a zip file system (any {@code java.nio} file system
 * other than the host's will do: the command must read and write through the one it was given); a host file with
 * the module's absolute name exists beside it and must be neither read nor written.
 */
class Issue11SignFileModelPathTest {
    private static final byte[] SIG = "SIGNATURE".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path host;

    private FileSystem model;
    private final List<byte[]> keysSeen = new ArrayList<>();

    @BeforeEach
    void modelFileSystem() throws Exception {
        model = FileSystems.newFileSystem(
                URI.create("jar:" + host.resolve("model.zip").toUri()), Map.of("create", "true"));
    }

    @AfterEach
    void close() throws Exception {
        model.close();
    }

    /** A signer that appends SIG and a 40-byte trailer, as the real one appends the blob and its trailer. */
    private SignFileCommand command() {
        ModuleSigner signer = (hash, key, x509, module, form, keyId) -> {
            keysSeen.add(key);
            keysSeen.add(x509);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(module);
            out.writeBytes(SIG);
            out.writeBytes(new byte[40]);
            return out.toByteArray();
        };
        return new SignFileCommand(signer, Fakes.release(KernelRelease.V6_18), model);
    }

    private static byte[] concat(byte[] a, byte[] b, int zeros) {
        byte[] r = new byte[a.length + b.length + zeros];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void moduleDestAndP7sAreModelFilesKeyAndCertificateHostFiles() throws Exception {
        Path hostKey = Files.writeString(host.resolve("signing_key.pem"), "KEY");
        Path hostCert = Files.writeString(host.resolve("signing_key.x509"), "CERT");
        // the same absolute name on the host and in the model, with different bytes
        Path hostModule = Files.createDirectories(host.resolve("mods")).resolve("m.ko");
        Files.writeString(hostModule, "HOST MODULE");
        Path modelModule = model.getPath(hostModule.toString());
        Files.createDirectories(modelModule.getParent());
        byte[] payload = "MODEL MODULE".getBytes(StandardCharsets.US_ASCII);
        Files.write(modelModule, payload);

        Path written = command()
                .signFile(
                        model.getPath("/"),
                        "-p",
                        "sha256",
                        hostKey.toString(),
                        hostCert.toString(),
                        hostModule.toString());

        assertEquals(modelModule, written);
        assertArrayEquals(concat(payload, SIG, 40), Files.readAllBytes(modelModule));
        assertArrayEquals(SIG, Files.readAllBytes(model.getPath(hostModule + ".p7s")));
        assertArrayEquals("KEY".getBytes(StandardCharsets.US_ASCII), keysSeen.get(0));
        assertArrayEquals("CERT".getBytes(StandardCharsets.US_ASCII), keysSeen.get(1));
        assertEquals("HOST MODULE", Files.readString(hostModule), "the host's file is not signed");
        assertFalse(Files.exists(host.resolve("mods/m.ko.p7s")), "no .p7s on the host");
        assertFalse(Files.exists(model.getPath(hostModule + ".~signed~")), "no temporary file left");
    }

    @Test
    void relativeNamesAndDestResolveAgainstTheSessionsModelDirectory() throws Exception {
        Path hostKey = Files.writeString(host.resolve("k.pem"), "KEY");
        Path dir = Files.createDirectories(model.getPath("/work"));
        byte[] payload = "UNSIGNED".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("in.ko"), payload);

        command().signFile(dir, "sha256", hostKey.toString(), hostKey.toString(), "in.ko", "out.ko");

        assertArrayEquals(payload, Files.readAllBytes(dir.resolve("in.ko")), "<module> unchanged with <dest>");
        assertArrayEquals(concat(payload, SIG, 40), Files.readAllBytes(dir.resolve("out.ko")));
        assertFalse(Files.exists(Path.of("out.ko")), "nothing written to the host's working directory");
    }

    @Test
    void aModuleOnlyTheHostHasIsEnoentNamedAsGiven() throws Exception {
        Path hostKey = Files.writeString(host.resolve("k.pem"), "KEY");
        Path hostModule = Files.writeString(host.resolve("only-on-host.ko"), "HOST MODULE");

        KernelException e = assertThrows(KernelException.class, () -> command()
                .signFile(model.getPath("/"), "sha256", hostKey.toString(), hostKey.toString(), hostModule.toString()));

        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(hostModule.toString(), e.what());
        assertTrue(keysSeen.isEmpty(), "nothing signed");
        assertEquals("HOST MODULE", Files.readString(hostModule));
    }

    @Test
    void aSessionOnTheHostsFileSystemStillResolvesInTheModel() throws Exception {
        Path hostKey = Files.writeString(host.resolve("k.pem"), "KEY");
        Path hostModule = Files.writeString(host.resolve("h.ko"), "HOST MODULE");

        KernelException e = assertThrows(KernelException.class, () -> command()
                .signFile(host, "sha256", hostKey.toString(), hostKey.toString(), "h.ko"));

        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("HOST MODULE", Files.readString(hostModule));
    }

    @Test
    void usageSaysWhichPathsAreTheHosts() throws Exception {
        String usage = String.valueOf(command()._main(null, "sign-file", "--help"));
        assertTrue(usage.contains("<key> and <x509> are host files"), usage);
        assertTrue(usage.contains("<module>, <dest> and <module>.p7s are kmodel's files"), usage);
    }
}
