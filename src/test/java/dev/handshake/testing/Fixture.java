package dev.handshake.testing;

import dev.handshake.source.AuditInputs;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Builds canonical input tables from rows written as name/value pairs, so a fixture reads like
 * the paper it was worked out on. Unnamed columns are null.
 */
public final class Fixture {
    private final Map<CanonicalTable, List<Row>> rows = new EnumMap<>(CanonicalTable.class);
    private final java.util.Set<CanonicalTable> omitted = java.util.EnumSet.noneOf(CanonicalTable.class);

    /**
     * Tables a fixture has (empty) unless given rows or {@link #without omitted}: the required ones,
     * and bookings, required until a run without a finance table became possible (issue 25).
     */
    private boolean byDefault(CanonicalTable t) {
        return (t.required() || t == CanonicalTable.BOOKINGS) && !omitted.contains(t);
    }

    /** Leaves a table out altogether, as an export that does not have it. */
    public Fixture without(CanonicalTable table) {
        rows.remove(table);
        omitted.add(table);
        return this;
    }

    /** Adds a row; values are converted from readable text by the column's type. */
    public Fixture row(CanonicalTable table, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            ColumnSpec spec = table.column(name).orElseThrow(
                    () -> new IllegalArgumentException(table.tableName() + " has no column " + name));
            values[table.columns().indexOf(spec)] = convert(spec, namesAndValues[i + 1]);
        }
        rows.computeIfAbsent(table, t -> new ArrayList<>()).add(RowFactory.create(values));
        return this;
    }

    /** Declares a table present even when it has no rows. */
    public Fixture empty(CanonicalTable table) {
        rows.computeIfAbsent(table, t -> new ArrayList<>());
        return this;
    }

    public Dataset<Row> dataset(SparkSession spark, CanonicalTable table) {
        return spark.createDataFrame(rows.getOrDefault(table, List.of()), table.schema());
    }

    public AuditInputs inputs(SparkSession spark) {
        Map<CanonicalTable, Dataset<Row>> tables = new EnumMap<>(CanonicalTable.class);
        for (CanonicalTable t : CanonicalTable.values()) {
            if (byDefault(t) || rows.containsKey(t)) {
                tables.put(t, dataset(spark, t));
            }
        }
        return new AuditInputs(tables);
    }

    /** Writes every declared and required table as Parquet below {@code dir}, as a local source reads it. */
    public void writeParquet(SparkSession spark, java.nio.file.Path dir) {
        write(spark, dir, true);
    }

    /** Writes (replaces) only the tables this fixture has rows for. */
    public void writeDeclared(SparkSession spark, java.nio.file.Path dir) {
        write(spark, dir, false);
    }

    private void write(SparkSession spark, java.nio.file.Path dir, boolean requiredToo) {
        for (CanonicalTable t : CanonicalTable.values()) {
            if ((requiredToo && byDefault(t)) || rows.containsKey(t)) {
                // Raw files may break the contract (a null key), so every column is nullable here.
                org.apache.spark.sql.types.StructType nullable = new org.apache.spark.sql.types.StructType(
                        java.util.Arrays.stream(t.schema().fields()).map(f -> f.copy(f.name(), f.dataType(), true,
                                f.metadata())).toArray(org.apache.spark.sql.types.StructField[]::new));
                spark.createDataFrame(rows.getOrDefault(t, List.of()), nullable).coalesce(1).write().mode("overwrite")
                        .parquet(dir.resolve(t.tableName()).toString());
            }
        }
    }

    private static Object convert(ColumnSpec spec, Object value) {
        if (value == null || !(value instanceof String text)) {
            if (value instanceof Integer i && spec.type() == dev.handshake.model.ColumnType.DECIMAL) {
                return new BigDecimal(i);
            }
            return value;
        }
        return switch (spec.type()) {
            case TIMESTAMP -> Timestamp.from(Instant.parse(text));
            case DATE -> Date.valueOf(LocalDate.parse(text));
            case DECIMAL -> new BigDecimal(text);
            case INT -> Integer.parseInt(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            case STRING -> text;
        };
    }
}
