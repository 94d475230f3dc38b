package org.kmodel.module.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.KernelModule;

/**
 * The table of docs/modules.md#what-happens-on-each-outcome-modulesigcheck: (signed, unsigned, bad signature, unknown key, truncated trailer, signed
 * attributes) × (enforcing or not) × release → load or errno, the module's taint letters and the line in
 * the kernel log. The module is in-tree and GPL, so every letter comes from the signature check.
 */
class SignatureMatrixTest {
    enum Kind {
        SIGNED,
        UNSIGNED,
        BAD_SIGNATURE,
        UNKNOWN_KEY,
        TRUNCATED_TRAILER,
        SIGNED_ATTRIBUTES
    }

    static Stream<Arguments> matrix() {
        String verif = "test_mod: module verification failed: signature and/or required key missing - tainting kernel";
        return Stream.of(
                // release, kind, enforce, errno (null = loads), letters, log line expected
                Arguments.of("3.14", Kind.SIGNED, false, null, "", null),
                Arguments.of("3.14", Kind.UNSIGNED, false, null, "F", verif),
                Arguments.of("3.14", Kind.UNSIGNED, true, Errno.ENOKEY, null, null),
                Arguments.of("3.14", Kind.UNKNOWN_KEY, false, null, "F", verif),
                Arguments.of("3.14", Kind.UNKNOWN_KEY, true, Errno.ENOKEY, null, null),
                Arguments.of("3.14", Kind.BAD_SIGNATURE, false, Errno.EKEYREJECTED, null, null),
                Arguments.of("3.14", Kind.TRUNCATED_TRAILER, false, Errno.EBADMSG, null, null),
                Arguments.of("3.14", Kind.SIGNED_ATTRIBUTES, false, Errno.ENOPKG, null, null),
                Arguments.of("3.15", Kind.SIGNED, false, null, "", null),
                Arguments.of("3.15", Kind.SIGNED, true, null, "", null),
                Arguments.of("3.15", Kind.UNSIGNED, false, null, "E", verif),
                Arguments.of("3.15", Kind.UNSIGNED, true, Errno.ENOKEY, null, null),
                Arguments.of("3.15", Kind.UNKNOWN_KEY, false, null, "E", verif),
                Arguments.of("3.15", Kind.UNKNOWN_KEY, true, Errno.ENOKEY, null, null),
                Arguments.of("3.15", Kind.BAD_SIGNATURE, false, Errno.EKEYREJECTED, null, null),
                Arguments.of("3.15", Kind.BAD_SIGNATURE, true, Errno.EKEYREJECTED, null, null),
                Arguments.of("3.15", Kind.TRUNCATED_TRAILER, false, Errno.EBADMSG, null, null),
                Arguments.of("3.15", Kind.TRUNCATED_TRAILER, true, Errno.EBADMSG, null, null),
                // A 3.15 kernel reads only the X.509 form: a PKCS#7 trailer fails the id_type check, fatally.
                Arguments.of("3.15", Kind.SIGNED_ATTRIBUTES, false, Errno.ENOPKG, null, null),
                Arguments.of("6.18", Kind.SIGNED, false, null, "", null),
                Arguments.of("6.18", Kind.SIGNED, true, null, "", null),
                Arguments.of("6.18", Kind.UNSIGNED, false, null, "E", verif),
                Arguments.of(
                        "6.18",
                        Kind.UNSIGNED,
                        true,
                        Errno.EKEYREJECTED,
                        null,
                        "Loading of unsigned module is rejected"),
                Arguments.of("6.18", Kind.UNKNOWN_KEY, false, null, "E", verif),
                Arguments.of(
                        "6.18",
                        Kind.UNKNOWN_KEY,
                        true,
                        Errno.EKEYREJECTED,
                        null,
                        "Loading of module with unavailable key is rejected"),
                Arguments.of("6.18", Kind.BAD_SIGNATURE, false, Errno.EKEYREJECTED, null, null),
                Arguments.of("6.18", Kind.BAD_SIGNATURE, true, Errno.EKEYREJECTED, null, null),
                Arguments.of("6.18", Kind.TRUNCATED_TRAILER, false, Errno.EBADMSG, null, null),
                Arguments.of("6.18", Kind.TRUNCATED_TRAILER, true, Errno.EBADMSG, null, null),
                Arguments.of("6.18", Kind.SIGNED_ATTRIBUTES, false, Errno.EKEYREJECTED, null, null),
                Arguments.of("6.18", Kind.SIGNED_ATTRIBUTES, true, Errno.EKEYREJECTED, null, null));
    }

    @ParameterizedTest(name = "{0} {1} enforce={2} -> {3} ({4})")
    @MethodSource("matrix")
    void decision(String rel, Kind kind, boolean enforce, Errno errno, String letters, String logLine)
            throws Exception {
        Fixture fx = new Fixture(KernelRelease.parse(rel));
        fx.core.settings.sigEnforce = enforce;
        byte[] image = image(fx, kind);
        if (errno == null) {
            KernelModule m = fx.load(image, false);
            assertEquals(letters, fx.flags("test_mod"));
            assertEquals(kind == Kind.SIGNED, m.sigOk());
            assertEquals(1, fx.code.installed.size());
            assertEquals(letters.isEmpty() ? 0 : fx.taint.mask(), fx.taint.mask() & m.taints());
        } else {
            assertEquals(errno, fx.fail(image, false));
            assertTrue(fx.code.installed.isEmpty(), "nothing installed after a failed load");
            assertEquals(null, fx.core.find("test_mod"));
            assertEquals(0, fx.taint.mask(), "a rejected signature taints nothing");
        }
        if (kind == Kind.UNKNOWN_KEY && !fx.release.atLeast(4, 3)) {
            assertTrue(
                    fx.log.lines().stream()
                            .anyMatch(l -> l.startsWith("Request for unknown module key 'Unknown key: ")
                                    && l.endsWith("' err -126")),
                    fx.log.lines().toString());
        } else if (logLine != null) {
            assertTrue(fx.log.lines().contains(logLine), fx.log.lines().toString());
        } else if (errno != null) {
            assertTrue(fx.log.lines().isEmpty(), fx.log.lines().toString());
        }
    }

    private static byte[] image(Fixture fx, Kind kind) throws Exception {
        byte[] module = fx.clean("test_mod");
        switch (kind) {
            case SIGNED:
                return fx.sign(module, Fixture.TRUSTED);
            case UNSIGNED:
                return module;
            case UNKNOWN_KEY:
                return fx.sign(module, Fixture.OTHER);
            case BAD_SIGNATURE: {
                byte[] s = fx.sign(module, Fixture.TRUSTED);
                s[module.length - 1] ^= 0x55; // the payload changed after signing
                return s;
            }
            case TRUNCATED_TRAILER: {
                byte[] s = fx.sign(module, Fixture.TRUSTED);
                // sig_len now claims more than the file holds before the info block.
                int at = s.length - 28 - 4;
                long big = s.length;
                s[at] = (byte) (big >>> 24);
                s[at + 1] = (byte) (big >>> 16);
                s[at + 2] = (byte) (big >>> 8);
                s[at + 3] = (byte) big;
                return s;
            }
            case SIGNED_ATTRIBUTES: {
                CMSSignedDataGenerator g = new CMSSignedDataGenerator();
                // rsaEncryption as sign-file writes it; BouncyCastle's default sha256WithRSAEncryption
                // would already fail with ENOPKG (pkcs7_sig_note_pkey_algo) before the attributes count.
                g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                                new JcaDigestCalculatorProviderBuilder().build(),
                                a -> new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE))
                        .build(
                                new JcaContentSignerBuilder("SHA256withRSA")
                                        .build(Fixture.TRUSTED.keyPair().getPrivate()),
                                Fixture.TRUSTED.certificate()));
                byte[] cms =
                        g.generate(new CMSProcessableByteArray(module), false).getEncoded(ASN1Encoding.DER);
                byte[] out = Arrays.copyOf(module, module.length + cms.length + 40);
                System.arraycopy(cms, 0, out, module.length, cms.length);
                int o = module.length + cms.length;
                out[o + 2] = 2;
                out[o + 8] = (byte) (cms.length >>> 24);
                out[o + 9] = (byte) (cms.length >>> 16);
                out[o + 10] = (byte) (cms.length >>> 8);
                out[o + 11] = (byte) cms.length;
                System.arraycopy("~Module signature appended~\n".getBytes("US-ASCII"), 0, out, o + 12, 28);
                return out;
            }
            default:
                throw new IllegalArgumentException();
        }
    }
}
