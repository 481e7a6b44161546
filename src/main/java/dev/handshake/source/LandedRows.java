package dev.handshake.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The current state of a table as a replicator lands it (Fivetran's system columns), before the
 * contract, in every source alike, as the views of {@code sql/snowflake/sources/} read it:
 * <ul>
 *   <li>history mode ({@code _fivetran_active}): one row per version; only the active version of
 *       each record is its current state, so the others are not rows of the table;</li>
 *   <li>deleted in Salesforce ({@code is_deleted}) or by the replicator ({@code _fivetran_deleted}):
 *       where the canonical table has {@code is_deleted} (leads, opportunities) the column the
 *       contract reads for it becomes {@code is_deleted OR _fivetran_deleted}, so the row is
 *       accepted, counted deleted and excluded by the audits; any other table has no way to carry
 *       the mark, so its deleted rows are set apart here and counted deleted by the loader.</li>
 * </ul>
 * A table with none of these columns is returned as it is. Pure: no action runs here.
 */
public final class LandedRows {
    static final String ACTIVE = "_fivetran_active";
    static final String FIVETRAN_DELETED = "_fivetran_deleted";
    static final String IS_DELETED = "is_deleted";

    private LandedRows() {}

    /**
     * The rows the contract reads, and the deleted rows set apart (to be counted; none when the
     * table has no deletion column or carries the mark itself).
     */
    public record Current(Dataset<Row> rows, Optional<Dataset<Row>> deleted) {}

    public static Current of(CanonicalTable table, TableMapping mapping, Dataset<Row> raw) {
        Dataset<Row> rows = column(raw, ACTIVE).map(active -> raw.filter(flag(raw, active))).orElse(raw);
        Optional<String> fivetranDeleted = column(rows, FIVETRAN_DELETED);
        if (table.column(IS_DELETED).isPresent()) {
            String target = mapping.sourceColumn(IS_DELETED);
            // Unmapped, or given by value or expression: the configuration's own definition stands.
            if (fivetranDeleted.isEmpty() || target == null || target.startsWith(TableMapping.DERIVED)) {
                return new Current(rows, Optional.empty());
            }
            Column marked = flag(rows, fivetranDeleted.get());
            Optional<String> own = column(rows, target);
            // Text, so that the contract reads (and, if bad, quarantines) the source's own mark as before.
            Column merged = when(marked, lit("true"))
                    .otherwise(own.map(c -> rows.col(ContractEnforcer.quote(c)).cast(DataTypes.StringType))
                            .orElse(lit(null).cast(DataTypes.StringType)));
            return new Current(rows.withColumn(own.orElse(target), merged), Optional.empty());
        }
        Optional<String> isDeleted = column(rows, IS_DELETED);
        if (isDeleted.isEmpty() && fivetranDeleted.isEmpty()) {
            return new Current(rows, Optional.empty());
        }
        Column deleted = lit(false);
        for (Optional<String> c : List.of(isDeleted, fivetranDeleted)) {
            if (c.isPresent()) {
                deleted = deleted.or(flag(rows, c.get()));
            }
        }
        return new Current(rows.filter(deleted.unary_$bang()), Optional.of(rows.filter(deleted)));
    }

    /** True when the column holds true (boolean, or text the contract reads as true); false otherwise. */
    private static Column flag(Dataset<Row> rows, String column) {
        return coalesce(trim(rows.col(ContractEnforcer.quote(column)).cast(DataTypes.StringType)).try_cast(DataTypes.BooleanType),
                lit(false));
    }

    /** The table's own spelling of a column, compared ignoring case (a warehouse may upper-case it). */
    private static Optional<String> column(Dataset<Row> rows, String name) {
        return Arrays.stream(rows.columns()).filter(c -> c.equalsIgnoreCase(name)).findFirst();
    }
}
