package org.kmodel.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Issue 14's two performance pairs timed by the benchmark thread's CPU time, in interleaved rounds (each round
 * runs every variant once, in a shuffled order), for a shared machine where JMH's wall-clock scores of
 * benchmarks that run one after the other see different loads. Per variant it prints the median and the best
 * CPU time per operation over the rounds, and per pair the median of the per-round ratios. What it does not
 * see: work other threads do for an operation (JFR's recorder thread flushing its buffers), so a JFR figure
 * is a lower bound. Not a replacement for JMH: no forks, a simple warm-up.
 * {@code java -cp benchmarks/target/benchmarks.jar org.kmodel.benchmarks.Issue14CpuTime [rounds]}
 */
public final class Issue14CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static long sink;

    private Issue14CpuTime() {}

    /** One measured operation, run {@code n} times per round. */
    private record Variant(String name, int n, Op op) {}

    @FunctionalInterface
    private interface Op {
        long run() throws Exception;
    }

    private static double nsPerOp(Variant v) throws Exception {
        long c0 = MX.getCurrentThreadCpuTime();
        long acc = 0;
        for (int i = 0; i < v.n; i++) {
            acc += v.op.run();
        }
        long c = MX.getCurrentThreadCpuTime() - c0;
        sink += acc;
        return (double) c / v.n;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[][] run(List<Variant> vs, int rounds) throws Exception {
        for (int w = 0; w < 3; w++) { // warm-up: every variant compiled before the first measured round
            for (Variant v : vs) {
                nsPerOp(v);
            }
        }
        double[][] t = new double[vs.size()][rounds];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            order.add(i);
        }
        Random rnd = new Random(14);
        for (int r = 0; r < rounds; r++) {
            Collections.shuffle(order, rnd);
            for (int i : order) {
                t[i][r] = nsPerOp(vs.get(i));
            }
        }
        return t;
    }

    private static void print(String title, List<Variant> vs, double[][] t, int[][] pairs) {
        System.out.println(title);
        for (int i = 0; i < vs.size(); i++) {
            System.out.printf(
                    "  %-34s median %10.1f ns/op  best %10.1f ns/op  (%,.0f/s CPU)%n",
                    vs.get(i).name, median(t[i]), Arrays.stream(t[i]).min().orElseThrow(), 1e9 / median(t[i]));
        }
        for (int[] p : pairs) {
            double[] ratio = new double[t[p[0]].length];
            for (int r = 0; r < ratio.length; r++) {
                ratio[r] = t[p[0]][r] / t[p[1]][r];
            }
            System.out.printf(
                    "  %s / %s: median of per-round ratios %.2f (min %.2f, max %.2f)%n",
                    vs.get(p[0]).name,
                    vs.get(p[1]).name,
                    median(ratio),
                    Arrays.stream(ratio).min().orElseThrow(),
                    Arrays.stream(ratio).max().orElseThrow());
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String which = args.length > 1 ? args[1] : "all";
        if (!which.equals("sig")) {
            tracepoint(rounds);
        }
        if (!which.equals("tp")) {
            signature(rounds);
        }
    }

    private static void tracepoint(int rounds) throws Exception {
        TracepointVsJfrBenchmark tp = new TracepointVsJfrBenchmark();
        tp.startRecording();
        try {
            List<Variant> vs = List.of(
                    new Variant("enabledTracepointIntoRingBuffer", 2_000_000, tp::enabledTracepointIntoRingBuffer),
                    new Variant("jfrEventWithRecording", 2_000_000, tp::jfrEventWithRecording),
                    new Variant("systemNanoTime", 2_000_000, tp::systemNanoTime));
            print(
                    "tracepoint vs JFR (CPU time of the benchmark thread, " + rounds + " interleaved rounds)",
                    vs,
                    run(vs, rounds),
                    new int[][] {{0, 1}, {2, 0}});
        } finally {
            tp.stopRecording();
        }
    }

    private static void signature(int rounds) throws Exception {
        SignatureVerifyBenchmark sig = new SignatureVerifyBenchmark();
        sig.setUp();
        List<Variant> vs = List.of(
                new Variant("kmodelModVerifySig", 1_000, () -> sig.kmodelModVerifySig()
                        .payloadLength()),
                new Variant("jdkRsaVerify", 1_000, () -> sig.jdkRsaVerify() ? 1 : 0),
                new Variant("bouncyCastleRsaVerify", 1_000, () -> sig.bouncyCastleRsaVerify() ? 1 : 0));
        print(
                "module signature verify (CPU time of the benchmark thread, " + rounds + " interleaved rounds)",
                vs,
                run(vs, rounds),
                new int[][] {{0, 1}, {0, 2}});
    }
}
