package org.kmodel.mm.workload.internal;

/**
 * One process class of the "procmix" generator (docs/vmacache.md#workloads-and-calibrated-parameters): how it is laid out, how its loader
 * phase and its work phase touch memory. Immutable; {@link #with} derives a variant (used by calibration).
 * Work-phase weights are over {@link #CLASSES}.
 */
public final class ProcClass {
    /** VMA classes of the work phase, in weight order. */
    public static final String[] CLASSES = {
        "text", "data", "bss", "heap", "stack", "libc_text", "libc_data", "lib_text", "lib_data", "anon"
    };

    final String name;
    final long textBytes;
    final int nLibs;
    final int ldFaultsPerLib;
    final double ldLibShare;
    final double ldStay;
    final double workMedian;
    final double workSigma;
    final double pStay;
    final double[] weights;
    final double heapGrow;
    final double invRate;
    final double anonRate;
    final int threads;
    final int quantum;

    ProcClass(
            String name,
            long textBytes,
            int nLibs,
            int ldFaultsPerLib,
            double ldLibShare,
            double ldStay,
            double workMedian,
            double workSigma,
            double pStay,
            double[] weights,
            double heapGrow,
            double invRate,
            double anonRate,
            int threads,
            int quantum) {
        if (weights.length != CLASSES.length) {
            throw new IllegalArgumentException("weights for " + CLASSES.length + " classes");
        }
        this.name = name;
        this.textBytes = textBytes;
        this.nLibs = nLibs;
        this.ldFaultsPerLib = ldFaultsPerLib;
        this.ldLibShare = ldLibShare;
        this.ldStay = ldStay;
        this.workMedian = workMedian;
        this.workSigma = workSigma;
        this.pStay = pStay;
        this.weights = weights.clone();
        this.heapGrow = heapGrow;
        this.invRate = invRate;
        this.anonRate = anonRate;
        this.threads = threads;
        this.quantum = quantum;
    }

    /** Weights by class name: {@code w("text", 24, "heap", 10)}; unnamed classes get {@code rest}. */
    static double[] w(double rest, Object... pairs) {
        double[] out = new double[CLASSES.length];
        java.util.Arrays.fill(out, rest);
        for (int i = 0; i < pairs.length; i += 2) {
            int idx = java.util.Arrays.asList(CLASSES).indexOf((String) pairs[i]);
            if (idx < 0) {
                throw new IllegalArgumentException("class " + pairs[i]);
            }
            out[idx] = ((Number) pairs[i + 1]).doubleValue();
        }
        return out;
    }

    /** A copy with p_stay, work median and loader stay scaled (calibration knobs). */
    ProcClass with(double pStayNew, double workMedianNew, double ldStayNew) {
        return new ProcClass(
                name,
                textBytes,
                nLibs,
                ldFaultsPerLib,
                ldLibShare,
                ldStayNew,
                workMedianNew,
                workSigma,
                pStayNew,
                weights,
                heapGrow,
                invRate,
                anonRate,
                threads,
                quantum);
    }
}
