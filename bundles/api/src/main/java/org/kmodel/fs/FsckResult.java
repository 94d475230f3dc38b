package org.kmodel.fs;

import java.util.List;

/**
 * What fsck found: each problem as one line, whether it was repaired, and the exit status e2fsck(8) would give
 * ({@link #CLEAN} 0, {@link #CORRECTED} 1, {@link #UNCORRECTED} 4).
 */
public record FsckResult(String type, List<String> problems, boolean repaired, int exitStatus) {
    public static final int CLEAN = 0;
    public static final int CORRECTED = 1;
    public static final int UNCORRECTED = 4;

    public FsckResult {
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return exitStatus == CLEAN;
    }
}
