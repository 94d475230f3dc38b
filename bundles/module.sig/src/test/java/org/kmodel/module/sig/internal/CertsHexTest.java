package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The hex kmod and /proc/keys print, as String.format("%02X") with a separator wrote it. */
class CertsHexTest {
    @Test
    void matchesTheFormatterForEveryByteAndSeparator() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        for (String sep : new String[] {"", ":", ", "}) {
            for (boolean upper : new boolean[] {true, false}) {
                StringBuilder want = new StringBuilder();
                for (int i = 0; i < all.length; i++) {
                    want.append(i > 0 ? sep : "").append(String.format(upper ? "%02X" : "%02x", all[i] & 0xff));
                }
                assertEquals(want.toString(), Certs.hex(all, sep, upper));
            }
        }
        assertEquals("", Certs.hex(new byte[0], ":", true));
        assertEquals("0A", Certs.hex(new byte[] {10}, ":", true));
    }
}
