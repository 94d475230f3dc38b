package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/**
 * Issue 11, end to end as a user runs it: /lib/modules is read-only once the boot populated it, so a redirection into
 * it is one line {@code echo: /lib/modules/x: Read-only file system}, exit status 1, nothing created; its modules stay
 * loadable; {@code mount -o remount,rw} makes it writable for the rest of that boot only.
 */
public class Issue11ReadOnlyLibModulesIT {
    @Test
    public void redirectionIntoLibModulesIsOneLineAndChangesNothing() throws Exception {
        Path state = Files.createTempDirectory("kmodel-issue11-ro-it");
        try {
            Issue12Kmodel.Run echo = Issue12Kmodel.run(state, "-c", "echo x > /lib/modules/x");
            assertEquals(echo.toString(), 1, echo.status());
            assertEquals(echo.toString(), "echo: /lib/modules/x: Read-only file system\n", echo.err());
            assertEquals(echo.toString(), "", echo.out());

            Issue12Kmodel.Run touch = Issue12Kmodel.run(state, "-c", "touch /lib/modules/y");
            assertEquals(touch.toString(), 1, touch.status());
            assertEquals(
                    touch.toString(), "touch: cannot touch '/lib/modules/y': Read-only file system\n", touch.err());

            Issue12Kmodel.Run look = Issue12Kmodel.run(
                    state,
                    "-c",
                    "ls /lib/modules; grep ' /lib/modules ' /proc/mounts;"
                            + " insmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko; grep -c kmodel_oot /proc/modules");
            assertEquals(look.toString(), 0, look.status());
            assertEquals(
                    look.toString(),
                    "3.13.0-kmodel\n3.14.0-kmodel\n3.15.0-kmodel\n6.18.0-kmodel\n"
                            + "modules /lib/modules tmpfs ro,relatime,size=65536k 0 0\n1\n",
                    look.out());

            Issue12Kmodel.Run rw = Issue12Kmodel.run(
                    state,
                    "-c",
                    "mount -o remount,rw /lib/modules; echo x > /lib/modules/x; cat /lib/modules/x;"
                            + " grep ' /lib/modules ' /proc/mounts");
            assertEquals(rw.toString(), 0, rw.status());
            assertEquals(rw.toString(), "x\nmodules /lib/modules tmpfs rw,relatime,size=65536k 0 0\n", rw.out());
            // a fresh copy, read-only again, on the next boot
            Issue12Kmodel.Run again = Issue12Kmodel.run(state, "-c", "ls /lib/modules/x");
            assertEquals(again.toString(), 1, again.status());
            assertTrue(again.toString(), again.err().contains("No such file or directory"));
        } finally {
            Issue12Kmodel.delete(state);
        }
    }
}
