package dev.handshake.sample;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A group of columns added to a per-row frame in one step. Seeded draws are registered here and
 * computed once, in a projection of their own, before the derived columns; a derived column then
 * refers to a draw by name. Without this, a draw used in several branches of a CASE chain is
 * copied into each branch, which multiplies hashing work and can overflow generated code.
 */
final class PlanStage {
    private final Draws draws;
    private final Column key;
    private final Map<String, Column> drawn = new LinkedHashMap<>();
    private final Map<String, Column> derived = new LinkedHashMap<>();

    PlanStage(Draws draws, Column key) {
        this.draws = draws;
        this.key = key;
    }

    /** Uniform in (0, 1) from (seed, key, salt). */
    Column u(String salt) {
        return register("d_u_" + salt, () -> draws.u(key, salt));
    }

    /** Uniform long in [0, n). */
    Column below(String salt, long n) {
        return register("d_b" + n + "_" + salt, () -> draws.below(key, salt, n));
    }

    /** The raw 64-bit hash of (seed, key, salt). */
    Column hash(String salt) {
        return register("d_h_" + salt, () -> draws.hash(key, salt));
    }

    /** Standard normal. */
    Column normal(String salt) {
        return register("d_n_" + salt, () -> draws.normal(key, salt));
    }

    /**
     * Adds a derived column (replacing one of an earlier stage of that name); later ones may read
     * earlier ones by name.
     */
    PlanStage put(String name, Column value) {
        if (derived.put(name, value) != null) {
            throw new IllegalStateException("Column " + name + " put twice in one stage");
        }
        return this;
    }

    /**
     * Applies the stage and drops its draws, which later stages never read. Derived columns are
     * added in layers: a column joins the current layer unless it reads a column of that layer.
     * Fewer, wider projections keep planning time flat as the plan grows.
     */
    Dataset<Row> applyTo(Dataset<Row> df) {
        for (String name : derived.keySet()) {
            if (List.of(df.columns()).contains(name)) {
                // A redefinition could be read silently by a column of its own layer.
                throw new IllegalStateException("Column " + name + " already exists; plan columns are never redefined");
            }
        }
        Dataset<Row> result = drawn.isEmpty() ? df : df.withColumns(drawn);
        Map<String, Column> layer = new LinkedHashMap<>();
        for (Map.Entry<String, Column> e : derived.entrySet()) {
            if (readsAny(e.getValue(), layer.keySet())) {
                result = result.withColumns(layer);
                layer = new LinkedHashMap<>();
            }
            layer.put(e.getKey(), e.getValue());
        }
        if (!layer.isEmpty()) {
            result = result.withColumns(layer);
        }
        List<String> temporary = new ArrayList<>(drawn.keySet());
        return temporary.isEmpty() ? result : result.drop(temporary.toArray(String[]::new));
    }

    /**
     * Whether the column's expression text names any of {@code names}. Over-matching only costs an
     * extra layer; a miss cannot go unnoticed, since the name is new and would not resolve.
     */
    private static boolean readsAny(Column column, Set<String> names) {
        if (names.isEmpty()) {
            return false;
        }
        String text = column.toString();
        for (String name : names) {
            if (Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name)
                    + "(?![A-Za-z0-9_])").matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private Column register(String rawName, Supplier<Column> expression) {
        String name = rawName.replace('.', '_');
        drawn.computeIfAbsent(name, n -> expression.get());
        return col(name);
    }
}
