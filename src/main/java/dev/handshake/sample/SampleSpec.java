package dev.handshake.sample;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What to generate: where, how many leads, which seed and which {@code as_of} the planted truth is
 * stated for. The same spec always gives byte-identical output.
 */
public record SampleSpec(Path out, long leads, long seed, LocalDate asOf) {
    /** The as-of date the shipped sample (and its manifest expectations) is built for. */
    public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2026, 6, 30);

    /** Leads per generated Spark partition: the partition count is fixed by N, never by the machine. */
    static final long LEADS_PER_PARTITION = 500_000L;

    /** Ids are zero-padded to nine digits, so N is bounded by that. */
    static final long MAX_LEADS = 999_999_999L;

    public SampleSpec {
        requireNonNull(out, "out is null");
        requireNonNull(asOf, "asOf is null");
        if (leads < 1 || leads > MAX_LEADS) {
            throw new IllegalArgumentException("Invalid leads: " + leads + " (expected 1.." + MAX_LEADS + ")");
        }
    }

    public SampleSpec(Path out, long leads, long seed) {
        this(out, leads, seed, DEFAULT_AS_OF);
    }

    /** ceil(N / 500k), at least 1. */
    int partitions() {
        return (int) Math.max(1L, (leads + LEADS_PER_PARTITION - 1) / LEADS_PER_PARTITION);
    }
}
