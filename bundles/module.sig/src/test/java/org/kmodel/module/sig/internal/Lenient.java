package org.kmodel.module.sig.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * The bytes of a signed module whose change the kernel does not notice, so a fuzz test must not
 * demand a failure there. Everything else in the trailer is covered by a check: the signature, the
 * key id (issuer + serial or SKID), the versions, the algorithm OIDs, the ASN.1 tags and lengths.
 * <ul>
 * <li>PKCS#7 (crypto/asymmetric_keys/pkcs7.asn1): the OID values of SignedData.digestAlgorithms are
 * only noted (pkcs7_note_OID), never compared; the {@code parameters ANY OPTIONAL} of every
 * AlgorithmIdentifier (digestAlgorithms entries, SignerInfo.digestAlgorithm,
 * digestEncryptionAlgorithm) are never looked at, so an empty parameter may carry any one-byte tag.
 * Tags and lengths still matter: the kernel's ASN.1 decoder rejects a wrong tag.</li>
 * <li>3.x X.509 form (kernel/module_signing.c): {@code __pad[3]} of struct module_signature is never
 * read.</li>
 * </ul>
 */
final class Lenient {
    /** Offsets where any byte value is ignored. */
    private final Set<Integer> anyValue = new HashSet<>();
    /** Offsets of an empty ANY's tag: any single-byte tag (not 0, not the multi-byte escape) is ignored. */
    private final Set<Integer> anyTag = new HashSet<>();

    private Lenient() {}

    static Lenient x509Pad(byte[] signed) {
        Lenient l = new Lenient();
        int pad = signed.length - SigTrailer.MAGIC.length - ModuleSignatureInfo.SIZE + 5;
        for (int i = pad; i < pad + 3; i++) {
            l.anyValue.add(i);
        }
        return l;
    }

    static Lenient pkcs7(byte[] signed) {
        Lenient l = new Lenient();
        int cms = SigTrailer.splitPkcs7(signed).payloadLength();
        Tlv contentInfo = Tlv.at(signed, cms);
        Tlv explicit = contentInfo.child(1);
        Tlv signedData = Tlv.at(signed, explicit.content);
        Tlv digestAlgorithms = signedData.child(1);
        for (Tlv alg : digestAlgorithms.children()) {
            Tlv oid = alg.child(0);
            for (int i = oid.content; i < oid.end; i++) {
                l.anyValue.add(i);
            }
            l.emptyParameters(alg);
        }
        java.util.List<Tlv> sd = signedData.children();
        for (Tlv signerInfo : sd.get(sd.size() - 1).children()) {
            for (Tlv part : signerInfo.children()) {
                // SignerInfo.digestAlgorithm and digestEncryptionAlgorithm: SEQUENCE { OID, ANY }.
                if (part.tag == 0x30 && !part.children().isEmpty() && part.child(0).tag == 0x06) {
                    l.emptyParameters(part);
                }
            }
        }
        return l;
    }

    private void emptyParameters(Tlv algorithmIdentifier) {
        java.util.List<Tlv> c = algorithmIdentifier.children();
        if (c.size() == 2 && c.get(1).content == c.get(1).end) {
            anyTag.add(c.get(1).start);
        }
    }

    /** True unless every changed byte lies where the kernel ignores that change. */
    boolean mustFail(byte[] f, byte[] orig) {
        for (int i = 0; i < f.length; i++) {
            if (f[i] == orig[i]) {
                continue;
            }
            boolean ignored = anyValue.contains(i) || anyTag.contains(i) && f[i] != 0 && (f[i] & 0x1f) != 0x1f;
            if (!ignored) {
                return true;
            }
        }
        return false;
    }

    /** A DER TLV in the file: tag byte at start, content [content, end). Definite lengths only. */
    static final class Tlv {
        final byte[] b;
        final int start;
        final int tag;
        final int content;
        final int end;

        private Tlv(byte[] b, int start, int tag, int content, int end) {
            this.b = b;
            this.start = start;
            this.tag = tag;
            this.content = content;
            this.end = end;
        }

        static Tlv at(byte[] b, int off) {
            int tag = b[off] & 0xff;
            int l = b[off + 1] & 0xff;
            int p = off + 2;
            int len = l;
            if (l >= 0x80) {
                len = 0;
                for (int k = 0; k < (l & 0x7f); k++) {
                    len = (len << 8) | (b[p++] & 0xff);
                }
            }
            return new Tlv(b, off, tag, p, p + len);
        }

        java.util.List<Tlv> children() {
            java.util.List<Tlv> out = new java.util.ArrayList<>();
            for (int p = content; p < end; ) {
                Tlv t = at(b, p);
                out.add(t);
                p = t.end;
            }
            return out;
        }

        Tlv child(int i) {
            return children().get(i);
        }
    }
}
