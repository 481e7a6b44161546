package dev.handshake.cli;

import java.util.Arrays;

/**
 * A fixed single-threaded CPU workload, timed, printed beside the benchmark's figures: the
 * development machine is a shared VM whose speed differs by up to half between hours, and runs
 * made at different hours can only be compared with how fast the machine was at the time.
 */
final class SpeedProbe {
    private static final int VALUES = 4_000_000;
    private static final int ROUNDS = 3;

    /** The last checksum, kept so that the JIT cannot drop the work as unused. */
    private static volatile long lastChecksum;

    private SpeedProbe() {}

    /** Seconds for the fastest of a few rounds of {@link #work} (the first also warms the JIT). */
    static double seconds() {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            lastChecksum = work(VALUES);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    /** Sorts a fixed pseudo-random array of {@code n} values and returns a checksum of the sorted values. */
    static long work(int n) {
        long[] values = new long[n];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < values.length; i++) {
            // xorshift64: the same values on every machine and run.
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            values[i] = x;
        }
        Arrays.sort(values);
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum = sum * 31 + values[i];
        }
        return sum;
    }
}
