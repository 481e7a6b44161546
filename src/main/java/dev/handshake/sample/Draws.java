package dev.handshake.sample;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Seeded pseudo-randomness as Column expressions: every draw is a hash of (seed, key, salt), so a
 * value depends only on the row's own key and never on partitioning, ordering or the machine.
 * {@code rand()} is not used because its stream depends on the partition layout.
 */
final class Draws {
    private static final long RESOLUTION = 1L << 40;

    private final long seed;

    Draws(long seed) {
        this.seed = seed;
    }


    /** The raw 64-bit hash of (seed, key, salt). */
    Column hash(Column key, String salt) {
        return xxhash64(lit(seed), key, lit(salt));
    }

    /** Uniform in (0, 1). */
    Column u(Column key, String salt) {
        return pmod(hash(key, salt), lit(RESOLUTION)).plus(lit(0.5)).divide(lit((double) RESOLUTION));
    }

    /** Uniform long in [0, n). */
    Column below(Column key, String salt, long n) {
        return pmod(hash(key, salt), lit(n));
    }


    /** Standard normal by Box-Muller from two independent uniforms. */
    Column normal(Column key, String salt) {
        Column u1 = u(key, salt + ".n1");
        Column u2 = u(key, salt + ".n2");
        return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2.0 * Math.PI)));
    }

    /** A categorical pick: {@code values[i]} with probability {@code weights[i] / sum(weights)}. */
    static Column pick(Column u, double[] weights, Column... values) {
        if (weights.length != values.length || weights.length == 0) {
            throw new IllegalArgumentException("Invalid pick: " + weights.length + " weights for "
                    + values.length + " values");
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        Column result = values[values.length - 1];
        double cumulative = total;
        // Built from the last branch backwards so the thresholds read in ascending order.
        for (int i = values.length - 2; i >= 0; i--) {
            cumulative -= weights[i + 1];
            result = when(u.lt(lit(cumulative / total)), values[i]).otherwise(result);
        }
        return result;
    }

    static Column pickLabel(Column u, double[] weights, String... labels) {
        Column[] values = new Column[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = lit(labels[i]);
        }
        return pick(u, weights, values);
    }

    /** Equal-weight pick among labels by a non-negative long index draw. */
    static Column oneOf(Column index, String... labels) {
        Column result = lit(labels[labels.length - 1]);
        for (int i = labels.length - 2; i >= 0; i--) {
            result = when(index.equalTo(lit((long) i)), lit(labels[i])).otherwise(result);
        }
        return result;
    }
}
