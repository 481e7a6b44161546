package dev.handshake.sample;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * What a generated sample contains, stated exactly: rows per table, rows the input contract will
 * quarantine, funnel expectations for a run at {@link #asOf()} with the default lookback, and named
 * counts of every planted failure. Every count has a one-line meaning in {@link #definitions()}.
 * Written as OUT/manifest.json; holds no wall-clock value, so the same seed gives the same file.
 *
 * @param tables rows and part files per canonical table name
 * @param quarantine per table name: reason kind ({@code null_required.<column>} or
 *                   {@code duplicate_key}) to the rows the contract must quarantine for it
 * @param funnel one cut for all cohort months ({@code all}/{@code *}) then one per cohort month
 * @param counts named exact counts of planted cases (see definitions)
 * @param bookingLagDays days from close_date to the first positive booking (on or before as_of),
 *                       linked or matched by the fallback rule, to the number of won
 *                       opportunities with that lag
 * @param definitions meaning of each key of counts, quarantine, funnel and tables
 */
public record Manifest(
        int formatVersion,
        long seed,
        long leads,
        String asOf,
        int lookbackDays,
        String reportingCurrency,
        int partitions,
        Map<String, TableStats> tables,
        Map<String, Map<String, Long>> quarantine,
        List<FunnelCut> funnel,
        Map<String, Long> counts,
        Map<Integer, Long> bookingLagDays,
        Map<String, String> definitions) {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public Manifest {
        requireNonNull(asOf, "asOf is null");
        requireNonNull(reportingCurrency, "reportingCurrency is null");
        tables = sorted(requireNonNull(tables, "tables is null"));
        Map<String, Map<String, Long>> q = new TreeMap<>();
        requireNonNull(quarantine, "quarantine is null").forEach((k, v) -> q.put(k, sorted(v)));
        quarantine = sorted(q);
        funnel = List.copyOf(requireNonNull(funnel, "funnel is null"));
        counts = sorted(requireNonNull(counts, "counts is null"));
        bookingLagDays = sorted(requireNonNull(bookingLagDays, "bookingLagDays is null"));
        definitions = sorted(requireNonNull(definitions, "definitions is null"));
    }

    /** Rows and part files of one table directory. */
    public record TableStats(long rows, int files) {}

    /** Expected funnel of one cut, for as_of and the default lookback (section 1). */
    public record FunnelCut(String dimension, String value, long cohortLeads, List<FunnelStage> stages) {
        public FunnelCut {
            requireNonNull(dimension, "dimension is null");
            requireNonNull(value, "value is null");
            stages = List.copyOf(requireNonNull(stages, "stages is null"));
        }

        public FunnelStage stage(String name) {
            return stages.stream().filter(s -> s.stage().equals(name)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("No funnel stage " + name));
        }
    }

    /** entered(k) and skipped(k) of one canonical stage. */
    public record FunnelStage(String stage, long entered, long skipped) {
        public FunnelStage {
            requireNonNull(stage, "stage is null");
        }
    }

    public LocalDate asOfDate() {
        return LocalDate.parse(asOf);
    }

    /** A named count; fails on an unknown name rather than answering zero. */
    public long count(String name) {
        Long v = counts.get(name);
        if (v == null) {
            throw new NoSuchElementException("No manifest count " + name);
        }
        return v;
    }

    /** Expected quarantined rows of a table, all reasons. */
    public long quarantined(String table) {
        Map<String, Long> reasons = quarantine.get(table);
        if (reasons == null) {
            throw new NoSuchElementException("No manifest table " + table);
        }
        return reasons.values().stream().mapToLong(Long::longValue).sum();
    }

    public FunnelCut funnelCut(String dimension, String value) {
        return funnel.stream().filter(c -> c.dimension().equals(dimension) && c.value().equals(value)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No funnel cut " + dimension + "=" + value));
    }

    public void write(Path file) {
        try {
            Files.writeString(file, JSON.writeValueAsString(this) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public static Manifest read(Path file) {
        requireNonNull(file, "file is null");
        try {
            return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read manifest " + file, e);
        }
    }

    /** Key-ordered and unmodifiable, so the JSON and equals() never depend on insertion order. */
    private static <K, V> Map<K, V> sorted(Map<K, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
