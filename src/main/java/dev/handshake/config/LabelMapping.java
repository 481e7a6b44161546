package dev.handshake.config;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.try_element_at;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Raw CRM labels mapped to canonical values (stages, roles, reason categories). Labels match
 * ignoring case and surrounding or repeated whitespace, the same way in Java and in Spark.
 * Insertion order is kept: for stage mappings it is the pipeline order.
 */
public record LabelMapping(Map<String, String> byNormalizedLabel) {
    public LabelMapping {
        byNormalizedLabel = java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(byNormalizedLabel, "byNormalizedLabel is null")));
    }

    public static String normalize(String label) {
        return label.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Spark twin of {@link #normalize(String)}. */
    public static Column normalize(Column label) {
        // The regular expression runs only on labels with a run of whitespace or a whitespace
        // character other than a space (rare): a regex match per row costs far more than the
        // containment checks, and the result is the same.
        Column irregular = label.contains("  ");
        for (String c : List.of("\t", "\n", "\u000B", "\f", "\r")) {
            irregular = irregular.or(label.contains(c));
        }
        return lower(trim(when(irregular, regexp_replace(label, "\\s+", " ")).otherwise(label)));
    }

    /** The canonical value of a raw label, null when the label is null or unmapped. */
    public Column map(Column rawLabel) {
        return lookup(rawLabel, "string", (position, value) -> lit(value));
    }

    /** True when the raw label is present but listed nowhere: a finding, never a guess. */
    public Column isUnmapped(Column rawLabel) {
        return rawLabel.isNotNull().and(map(rawLabel).isNull());
    }

    /** 0-based position of a raw label in configured order (pipeline order for stages); null if unmapped. */
    public Column position(Column rawLabel) {
        return lookup(rawLabel, "int", (position, value) -> lit(position));
    }

    /**
     * The integer {@code valueCode} gives a raw label's canonical value, null when unmapped: rows
     * then compare integers, not strings (e.g. a status label as its stage's funnel order).
     */
    public Column code(Column rawLabel, ToIntFunction<String> valueCode) {
        return lookup(rawLabel, "int", (position, value) -> lit(valueCode.applyAsInt(value)));
    }

    /** What a label's entry in a lookup holds, from its 0-based configured position and value. */
    private interface LookupValue {
        Column of(int position, String value);
    }

    /** A literal map from every normalized label to its {@code entry}, looked up with the normalized raw label. */
    private Column lookup(Column rawLabel, String type, LookupValue entry) {
        if (byNormalizedLabel.isEmpty()) {
            return lit(null).cast(type);
        }
        List<Column> kv = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, String> e : byNormalizedLabel.entrySet()) {
            kv.add(lit(e.getKey()));
            kv.add(entry.of(position++, e.getValue()));
        }
        return try_element_at(functions.map(kv.toArray(Column[]::new)), normalize(rawLabel));
    }

    public String valueOf(String rawLabel) {
        return byNormalizedLabel.get(normalize(rawLabel));
    }

    /** Normalized labels mapped to {@code value}, in configured order. */
    public List<String> labelsFor(String value) {
        return byNormalizedLabel.entrySet().stream()
                .filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey).toList();
    }
}
