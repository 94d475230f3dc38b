package org.kmodel.itests;

import java.util.List;
import org.kmodel.kernel.ProcFs;

/**
 * A "live patch" of /proc for the hot-swap tests: packed into a bundle at test time by TestBundle with
 * service.ranking 100, never loaded by the test probe itself.
 */
public class PatchedProcFs implements ProcFs {
    @Override
    public String read(String path) {
        return "patched " + path + "\n";
    }

    @Override
    public void write(String path, String content) {
        // accepts and drops everything
    }

    @Override
    public List<String> paths() {
        return List.of();
    }
}
