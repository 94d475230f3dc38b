package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleState;
import org.kmodel.module.SignatureInfo;

class ModuleFormatTest {
    @Test
    void lsmodIsKmodsFormat() {
        List<ModuleEntry> mods = List.of(
                new ModuleEntry("kmodel_dep", 2048, 0, List.of(), ModuleState.LIVE, 0, ""),
                new ModuleEntry("kmodel_core", 16384, 2, List.of("kmodel_dep", "kmodel_oot"), ModuleState.LIVE, 0, ""),
                new ModuleEntry("kmodel_oot", 1234, 0, List.of(), ModuleState.LIVE, 12288, "OE"));
        assertEquals(
                "Module                  Size  Used by\n"
                        + "kmodel_dep              2048  0\n"
                        + "kmodel_core            16384  2 kmodel_dep,kmodel_oot\n"
                        + "kmodel_oot              1234  0\n",
                ModuleFormat.lsmod(mods, false));
        assertEquals(
                "kmodel_oot              1234  0 (OE)",
                ModuleFormat.lsmod(mods, true).split("\n")[3]);
    }

    @Test
    void modinfoPadsKeysTo16AndWrapsTheSignature() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            hex.append(i == 0 ? "" : ":").append(String.format("%02X", i));
        }
        ModInfo info = new ModInfo(
                "/lib/modules/x.ko",
                List.of(
                        new ModInfo.Field("license", "GPL"),
                        new ModInfo.Field("vermagic", "3.15.0-kmodel SMP mod_unload")),
                new SignatureInfo("PKCS#7", "kmodel build signing key", "4E:9A", "sha256", hex.toString(), 400));
        String out = ModuleFormat.modinfo(info);
        assertEquals(
                "filename:       /lib/modules/x.ko\n"
                        + "license:        GPL\n"
                        + "vermagic:       3.15.0-kmodel SMP mod_unload\n"
                        + "sig_id:         PKCS#7\n"
                        + "signer:         kmodel build signing key\n"
                        + "sig_key:        4E:9A\n"
                        + "sig_hashalgo:   sha256\n"
                        + "signature:      00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:\n"
                        + "\t\t14:15:16:17:18\n",
                out);
    }

    @Test
    void moduleNamesAreNormalised() {
        assertEquals("kmodel_oot", ModuleCommands.moduleName("lib/modules/3.15.0-kmodel/extra/kmodel-oot.ko"));
    }
}
