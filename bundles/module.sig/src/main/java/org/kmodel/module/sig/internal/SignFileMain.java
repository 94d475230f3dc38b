package org.kmodel.module.sig.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.kmodel.kernel.KernelException;
import org.kmodel.module.ModuleSigner;

/**
 * The command-line form of {@link SignFile} the build runs:
 * {@code sign-file [-k] [-x] <hash> <key> <x509> <module> [<dest>]}, signing in place without
 * {@code dest} (through {@code <module>.~signed~} and a rename, as sign-file does). {@code -x} writes
 * the 3.x X.509 form instead of PKCS#7.
 */
public final class SignFileMain {
    private SignFileMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean keyId = false;
        ModuleSigner.Form form = ModuleSigner.Form.PKCS7;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            if (args[i].equals("-k")) {
                keyId = true;
            } else if (args[i].equals("-x")) {
                form = ModuleSigner.Form.X509;
            } else {
                usage();
            }
        }
        if (args.length - i < 4) {
            usage();
        }
        Path module = Paths.get(args[i + 3]);
        Path dest = args.length - i > 4 ? Paths.get(args[i + 4]) : null;
        try {
            byte[] signed = new SignFile().signFile(args[i], Files.readAllBytes(Paths.get(args[i + 1])),
                    Files.readAllBytes(Paths.get(args[i + 2])), Files.readAllBytes(module), form, keyId);
            if (dest != null) {
                Files.write(dest, signed);
            } else {
                Path tmp = Paths.get(module + ".~signed~");
                Files.write(tmp, signed);
                Files.move(tmp, module, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (KernelException e) {
            System.err.println("sign-file: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("Usage: sign-file [-k] [-x] <hash> <key> <x509> <module> [<dest>]");
        System.exit(2);
    }
}
