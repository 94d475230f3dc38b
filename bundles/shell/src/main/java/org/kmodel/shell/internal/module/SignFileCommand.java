package org.kmodel.shell.internal.module;

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
            All four paths are host files, on purpose: the signing key and certificate stay on the host, as
            they stay off a real machine's root filesystem; <module> is signed in place unless <dest> is given.""";

    private final ModuleSigner signer;
    private final ReleaseProfile profile;

    @Activate
    public SignFileCommand(@Reference ModuleSigner signer, @Reference ReleaseProfile profile) {
        this.signer = signer;
        this.profile = profile;
    }

    @Descriptor(
            "sign a kernel module as scripts/sign-file does: sign-file [-dpk] [-F pkcs7|x509] HASH KEY X509 MODULE [DEST] (host files, on purpose)")
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
        signFile(args);
        return null;
    }

    /** Signs; returns the path written. */
    public Path signFile(String... argv) throws java.io.IOException {
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
        Path module = Paths.get(a.get(3));
        byte[] payload = read(module);
        byte[] signed =
                signer.signFile(a.get(0), read(Paths.get(a.get(1))), read(Paths.get(a.get(2))), payload, form, keyId);
        if (p7s) {
            // The detached blob alone: what sits between the module and the 40-byte trailer.
            Files.write(Paths.get(module + ".p7s"), Arrays.copyOfRange(signed, payload.length, signed.length - 40));
        }
        if (detachedOnly) {
            return Paths.get(module + ".p7s");
        }
        Path dest = a.size() == 5 ? Paths.get(a.get(4)) : module;
        Path tmp = Paths.get(dest + ".~signed~");
        Files.write(tmp, signed);
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        return dest;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KernelException(Errno.ENOENT, p.toString());
        } catch (java.io.IOException e) {
            throw new KernelException(Errno.EIO, p.toString(), e);
        }
    }
}
