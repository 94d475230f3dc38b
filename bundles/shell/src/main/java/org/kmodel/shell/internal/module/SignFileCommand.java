package org.kmodel.shell.internal.module;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.module.ModuleSigner;
import org.kmodel.shell.internal.Getopt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code scripts/sign-file [-dpk] <hash> <key> <x509> <module> [<dest>]}. The trailer form follows the
 * running release (PKCS#7 from 4.3, the 3.x X.509 form before); {@code -F pkcs7|x509} picks one.
 * A Java method cannot be called {@code sign-file}: like every hyphenated command of the shell it is a
 * component of its own whose {@code _main} Gogo calls (Gogo's convention for a name that is no method).
 *
 * <p>Issue 11, host files on purpose only: the key and the certificate are host files (they stay off the model, as
 * a signing key stays off a real machine's root filesystem); the module, the destination and the {@code .p7s} are
 * model paths, resolved against the session's working directory on kmodel's {@code java.nio} file system (a host
 * module is signed through a hostfs mount).
 */
@Component(
        service = SignFileCommand.class,
        property = {"osgi.command.scope=module", "osgi.command.function=sign-file"})
public class SignFileCommand {
    /** The usage text, as scripts/sign-file prints it, and which paths are the host's. */
    static final String USAGE = """
            usage: sign-file [-dpk] [-F pkcs7|x509] <hash algo> <key> <x509> <module> [<dest>]
              -d  only write the signature to <module>.p7s (detached)
              -p  also write <module>.p7s
              -k  identify the signer by subjectKeyIdentifier, not issuer and serial
              -F  the trailer form (default: the running release's, PKCS#7 from 4.3)
            <key> and <x509> are host files, on purpose: the signing key and certificate stay on the host, as they
            stay off a real machine's root filesystem. <module>, <dest> and <module>.p7s are kmodel's files (a host
            module: mount -t hostfs HOSTDIR DIR first); <module> is signed in place unless <dest> is given.""";

    private final ModuleSigner signer;
    private final ReleaseProfile profile;
    private final FileSystem model;

    @Activate
    public SignFileCommand(
            @Reference ModuleSigner signer,
            @Reference ReleaseProfile profile,
            @Reference(target = "(kmodel.fs=vfs)") FileSystem model) {
        this.signer = signer;
        this.profile = profile;
        this.model = model;
    }

    @Descriptor(
            "sign a kernel module as scripts/sign-file does: sign-file [-dpk] [-F pkcs7|x509] HASH KEY X509 MODULE [DEST] (KEY, X509: host files; MODULE, DEST: kmodel's)")
    public Object _main(
            CommandSession session,
            @Descriptor("[-dpk] [-F pkcs7|x509] <hash algo> <key> <x509> <module> [<dest>], see 'help sign-file'")
                    String... argv)
            throws java.io.IOException {
        // Gogo hands _main the command's own name first, as argv[0] of a C main()
        String[] args = argv.length > 0 && (argv[0].equals("sign-file") || argv[0].endsWith(":sign-file"))
                ? Arrays.copyOfRange(argv, 1, argv.length)
                : argv;
        Getopt o = Getopt.parse(args, "dpkhF:", "help=h");
        if (o.has('h')) {
            return USAGE;
        }
        signFile(session == null ? null : session.currentDir(), args);
        return null;
    }

    /**
     * Signs; returns the model path written. {@code cwd} is the session's working directory: used when it is a path
     * of the model's file system, else the model's root is (a module is never a host file).
     */
    public Path signFile(Path cwd, String... argv) throws java.io.IOException {
        Getopt o = Getopt.parse(argv, "dpkhF:", "help=h");
        List<String> a = o.operands();
        boolean keyId = o.has('k');
        boolean detachedOnly = o.has('d');
        boolean p7s = o.has('p') || detachedOnly;
        ModuleSigner.Form form = profile.release().atLeast(4, 3) ? ModuleSigner.Form.PKCS7 : ModuleSigner.Form.X509;
        if (o.value('F') != null) {
            form = o.value('F').equalsIgnoreCase("x509") ? ModuleSigner.Form.X509 : ModuleSigner.Form.PKCS7;
        }
        if (a.size() < 4 || a.size() > 5) {
            throw new KernelException(
                    Errno.EINVAL, "Format: sign-file [-dpk] [-F pkcs7|x509] <hash> <key> <x509> <module> [<dest>]");
        }
        Path base = cwd != null && cwd.getFileSystem() == model ? cwd : model.getPath("/");
        String moduleName = a.get(3);
        Path module = base.resolve(moduleName);
        byte[] payload = read(module, moduleName);
        // the key and the certificate: host files by nature
        byte[] key = read(Paths.get(a.get(1)), a.get(1));
        byte[] x509 = read(Paths.get(a.get(2)), a.get(2));
        byte[] signed = signer.signFile(a.get(0), key, x509, payload, form, keyId);
        if (p7s) {
            // The detached blob alone: what sits between the module and the 40-byte trailer.
            write(
                    base.resolve(moduleName + ".p7s"),
                    moduleName + ".p7s",
                    Arrays.copyOfRange(signed, payload.length, signed.length - 40));
        }
        if (detachedOnly) {
            return base.resolve(moduleName + ".p7s");
        }
        String destName = a.size() == 5 ? a.get(4) : moduleName;
        Path dest = base.resolve(destName);
        Path tmp = base.resolve(destName + ".~signed~");
        write(tmp, destName, signed);
        try {
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (java.io.IOException | RuntimeException ignored) {
                // the error that matters is the move's
            }
            throw error(e, destName);
        }
        return dest;
    }

    private static byte[] read(Path p, String name) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException | RuntimeException e) {
            throw error(e, name);
        }
    }

    private static void write(Path p, String name, byte[] data) {
        try {
            Files.write(p, data);
        } catch (java.io.IOException | RuntimeException e) {
            throw error(e, name);
        }
    }

    /** One line, {@code sign-file: NAME: strerror}: the errno the model's file system gave, as scripts/sign-file's err(). */
    private static KernelException error(Exception e, String name) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KernelException k) {
                return new KernelException(k.errno(), name, e);
            }
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new KernelException(Errno.ENOENT, name, e);
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new KernelException(Errno.EACCES, name, e);
        }
        return new KernelException(Errno.EIO, name, e);
    }
}
