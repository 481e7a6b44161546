package dev.handshake.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * An array of the names whose condition holds, in the given order (a null condition does not hold).
 * Built as a concatenation of one- or zero-element arrays rather than by compacting an array of
 * nullable names: compacting is a lambda, which Spark cannot compile into generated code, so the
 * whole projection around it would be interpreted row by row.
 */
public final class NamesWhere {
    private NamesWhere() {}

    public static Column of(List<Column> conditions, List<String> names) {
        if (conditions.size() != names.size()) {
            throw new IllegalArgumentException("one name per condition: " + conditions.size() + " vs " + names.size());
        }
        Column none = array().cast("array<string>");
        if (conditions.isEmpty()) {
            return none;
        }
        Column[] parts = new Column[conditions.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = when(conditions.get(i), array(lit(names.get(i)))).otherwise(none);
        }
        return parts.length == 1 ? parts[0] : concat(parts);
    }
}
