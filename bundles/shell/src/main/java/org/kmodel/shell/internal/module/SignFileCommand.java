package org.kmodel.shell.internal.module;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.module.ModuleSigner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code scripts/sign-file [-dpk] <hash> <key> <x509> <module> [<dest>]}. The trailer form follows the
 * running release (PKCS#7 from 4.3, the 3.x X.509 form before); {@code -F pkcs7|x509} picks one.
 * Registered as a Gogo {@link Function} because a Java method cannot be called {@code sign-file}.
 */
@Component(service = Function.class, property = {"osgi.command.scope=module", "osgi.command.function=sign-file"})
public class SignFileCommand implements Function {
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

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        List<String> args = new ArrayList<>();
        arguments.forEach(a -> args.add(String.valueOf(a)));
        signFile(args.toArray(new String[0]));
        return null;
    }

    /** Signs; returns the path written. */
    public Path signFile(String... argv) throws java.io.IOException {
        List<String> a = new ArrayList<>(Arrays.asList(argv));
        boolean keyId = false;
        boolean p7s = false;
        boolean detachedOnly = false;
        ModuleSigner.Form form = profile.release().atLeast(4, 3) ? ModuleSigner.Form.PKCS7 : ModuleSigner.Form.X509;
        while (!a.isEmpty() && a.get(0).startsWith("-")) {
            String o = a.remove(0);
            if (o.equals("-F") && !a.isEmpty()) {
                form = a.remove(0).equalsIgnoreCase("x509") ? ModuleSigner.Form.X509 : ModuleSigner.Form.PKCS7;
                continue;
            }
            for (char c : o.substring(1).toCharArray()) {
                switch (c) {
                    case 'k': keyId = true; break;
                    case 'p': p7s = true; break;
                    case 'd': detachedOnly = true; p7s = true; break;
                    default: throw new KernelException(Errno.EINVAL, "Format: sign-file [-dpk] [-F pkcs7|x509] <hash> <key> <x509> <module> [<dest>]");
                }
            }
        }
        if (a.size() < 4 || a.size() > 5) {
            throw new KernelException(Errno.EINVAL, "Format: sign-file [-dpk] [-F pkcs7|x509] <hash> <key> <x509> <module> [<dest>]");
        }
        Path module = Paths.get(a.get(3));
        byte[] payload = read(module);
        byte[] signed = signer.signFile(a.get(0), read(Paths.get(a.get(1))), read(Paths.get(a.get(2))), payload, form, keyId);
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
