package dev.handshake.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The current state of a table as a replicator lands it (Fivetran's system columns), before the
 * contract, in every source alike, as the views of {@code sql/snowflake/sources/} read it:
 * <ul>
 *   <li>history mode ({@code _fivetran_active}): one row per version; only the active version of
 *       each record is its current state, so the others are not rows of the table. A record with
 *       no active version was deleted in the source (Fivetran ends its last version): its last
 *       version is read as a deleted row, so the deletion is counted, not silently lost;</li>
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
    static final String START = "_fivetran_start";
    /** Internal columns of the stage history derived from versions. */
    private static final String PREFIX = "__landed_";
    /** Marks the last version of a history-mode record that has no active version: deleted in the source. */
    private static final String GONE = PREFIX + "gone";

    private LandedRows() {}

    /**
     * The rows the contract reads, and the deleted rows set apart (to be counted; none when the
     * table has no deletion column or carries the mark itself).
     */
    public record Current(Dataset<Row> rows, Optional<Dataset<Row>> deleted) {}

    public static Current of(CanonicalTable table, TableMapping mapping, Dataset<Row> raw) {
        Dataset<Row> rows = column(raw, ACTIVE).map(active -> currentVersions(table, mapping, raw, active)).orElse(raw);
        Optional<String> fivetranDeleted = column(rows, FIVETRAN_DELETED);
        boolean versioned = Arrays.asList(rows.columns()).contains(GONE);
        Column gone = versioned ? col(GONE) : lit(false);
        if (table.column(IS_DELETED).isPresent()) {
            String target = mapping.sourceColumn(IS_DELETED);
            if (target == null || target.startsWith(TableMapping.DERIVED)) {
                // Unmapped, or given by value or expression: the configuration's own definition stands,
                // and a record gone from the source is set apart and counted deleted.
                return versioned ? new Current(rows.filter(gone.unary_$bang()).drop(GONE),
                        Optional.of(rows.filter(gone).drop(GONE))) : new Current(rows, Optional.empty());
            }
            if (fivetranDeleted.isEmpty() && !versioned) {
                return new Current(rows, Optional.empty());
            }
            Column marked = fivetranDeleted.map(c -> flag(rows, c)).orElse(lit(false)).or(gone);
            Optional<String> own = column(rows, target);
            // Text, so that the contract reads (and, if bad, quarantines) the source's own mark as before.
            Column merged = when(marked, lit("true"))
                    .otherwise(own.map(c -> rows.col(ContractEnforcer.quote(c)).cast(DataTypes.StringType))
                            .orElse(lit(null).cast(DataTypes.StringType)));
            return new Current(rows.withColumn(own.orElse(target), merged).drop(GONE), Optional.empty());
        }
        Optional<String> isDeleted = column(rows, IS_DELETED);
        if (isDeleted.isEmpty() && fivetranDeleted.isEmpty() && !versioned) {
            return new Current(rows, Optional.empty());
        }
        Column deleted = gone;
        for (Optional<String> c : List.of(isDeleted, fivetranDeleted)) {
            if (c.isPresent()) {
                deleted = deleted.or(flag(rows, c.get()));
            }
        }
        return new Current(rows.filter(deleted.unary_$bang()).drop(GONE), Optional.of(rows.filter(deleted).drop(GONE)));
    }

    /**
     * The active version of each record and, for a record without one (deleted in the source), its
     * last version marked {@link #GONE}: as Fivetran's own query for deleted records reads history
     * mode. One shuffle of the versions by record. Without a record key or {@code _fivetran_start}
     * the last version cannot be told, so only the active versions are read.
     */
    private static Dataset<Row> currentVersions(CanonicalTable table, TableMapping mapping, Dataset<Row> raw,
                                                String active) {
        Optional<String> start = column(raw, START);
        Optional<String> key = table.key().isEmpty() ? Optional.empty()
                : Optional.ofNullable(mapping.sourceColumn(table.key().get(0))).flatMap(c -> column(raw, c));
        if (start.isEmpty() || key.isEmpty()) {
            return raw.filter(flag(raw, active));
        }
        org.apache.spark.sql.expressions.WindowSpec record = Window.partitionBy(raw.col(ContractEnforcer.quote(key.get())));
        Dataset<Row> versions = raw
                .withColumn(PREFIX + "any_active", max(flag(raw, active)).over(record))
                .withColumn(PREFIX + "last", row_number().over(record.orderBy(
                        raw.col(ContractEnforcer.quote(start.get())).cast(DataTypes.TimestampType).desc())));
        Column current = flag(versions, active);
        Column deleted = col(PREFIX + "any_active").unary_$bang().and(col(PREFIX + "last").equalTo(1));
        return versions.filter(current.or(deleted)).withColumn(GONE, current.unary_$bang())
                .drop(PREFIX + "any_active", PREFIX + "last");
    }

    /**
     * Salesforce's OpportunityHistory, when it is not synced, from the versions of a history-mode
     * opportunity table (as fivetran/dbt_salesforce's opportunity history models read it): one row
     * per version whose stage differs from the version before it (the first version included), at
     * the instant the version starts. Deleted versions are left out. The rows carry the column
     * names the opportunity_history mapping reads, so the contract checks them like any table.
     * Empty when the table has no versions ({@code _fivetran_start}, {@code _fivetran_active}).
     */
    public static Optional<Current> stageChanges(Dataset<Row> opportunity, TableMapping opportunities,
                                                 TableMapping history) {
        Optional<String> start = column(opportunity, START);
        Optional<String> id = Optional.ofNullable(opportunities.sourceColumn("opportunity_id"))
                .flatMap(c -> column(opportunity, c));
        Optional<String> stage = Optional.ofNullable(opportunities.sourceColumn("stage_name"))
                .flatMap(c -> column(opportunity, c));
        if (start.isEmpty() || column(opportunity, ACTIVE).isEmpty() || id.isEmpty() || stage.isEmpty()) {
            return Optional.empty();
        }
        // A record with no active version was deleted in the source: its history is not read either.
        Dataset<Row> versions = opportunity.withColumn(PREFIX + "live", max(flag(opportunity, column(opportunity,
                ACTIVE).get())).over(Window.partitionBy(opportunity.col(ContractEnforcer.quote(id.get())))));
        versions = versions.filter(col(PREFIX + "live")).drop(PREFIX + "live");
        for (String deletion : List.of(IS_DELETED, FIVETRAN_DELETED)) {
            Optional<String> c = column(versions, deletion);
            if (c.isPresent()) {
                versions = versions.filter(flag(versions, c.get()).unary_$bang());
            }
        }
        Column previous = lag(versions.col(ContractEnforcer.quote(stage.get())), 1).over(Window
                .partitionBy(versions.col(ContractEnforcer.quote(id.get())))
                .orderBy(versions.col(ContractEnforcer.quote(start.get())).cast(DataTypes.TimestampType)));
        Column position = row_number().over(Window.partitionBy(versions.col(ContractEnforcer.quote(id.get())))
                .orderBy(versions.col(ContractEnforcer.quote(start.get())).cast(DataTypes.TimestampType)));
        Dataset<Row> changes = versions
                .withColumn(PREFIX + "changed", position.equalTo(1)
                        .or(versions.col(ContractEnforcer.quote(stage.get())).eqNullSafe(previous).unary_$bang()))
                .filter(col(PREFIX + "changed"));
        // Each canonical column under the name the opportunity_history mapping reads it by.
        Map<String, Optional<String>> from = new LinkedHashMap<>();
        from.put("opportunity_id", id);
        from.put("stage_name", stage);
        from.put("changed_at", start);
        for (String c : List.of("amount", "close_date")) {
            from.put(c, Optional.ofNullable(opportunities.sourceColumn(c)).flatMap(n -> column(opportunity, n)));
        }
        from.put("changed_by", column(opportunity, "last_modified_by_id"));
        List<Column> out = new ArrayList<>();
        for (Map.Entry<String, Optional<String>> e : from.entrySet()) {
            String target = history.sourceColumn(e.getKey());
            if (target != null && !target.startsWith(TableMapping.DERIVED) && e.getValue().isPresent()) {
                out.add(changes.col(ContractEnforcer.quote(e.getValue().get())).as(target));
            }
        }
        return Optional.of(new Current(changes.select(out.toArray(Column[]::new)), Optional.empty()));
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
