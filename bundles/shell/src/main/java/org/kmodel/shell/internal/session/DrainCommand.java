package org.kmodel.shell.internal.session;

import java.io.IOException;
import java.io.InputStream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.osgi.service.component.annotations.Component;

/**
 * {@code shell:drain}: reads standard input to its end and discards it. The command runner appends it to a line
 * whose last command redirects stdout, so the command's result goes into the file and nowhere else (see the cli
 * bundle's {@code Redirection}).
 */
@Component(
        service = DrainCommand.class,
        property = {"osgi.command.scope=shell", "osgi.command.function=drain"})
public class DrainCommand {
    @Descriptor("read standard input and discard it (the runner's end of a redirected line)")
    public void drain() throws IOException {
        Process p = Process.Utils.current();
        InputStream in = p != null ? p.in() : System.in;
        byte[] buf = new byte[8192];
        while (in.read(buf) >= 0) {
            // discard
        }
    }
}
