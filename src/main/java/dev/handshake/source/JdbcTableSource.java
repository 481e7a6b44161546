package dev.handshake.source;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.config.SqlIdentifier;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import dev.handshake.model.ColumnType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Reads each canonical table from a warehouse table or view through Spark's JDBC data source.
 * Only the columns the contract maps are selected, and where the table has an event time
 * ({@link CanonicalTable#eventTime()}) rows after the end of {@code as_of} are left in the
 * warehouse: Spark pushes both into the query it sends. A table configured with a partition column
 * is read in that many parallel range queries.
 */
public final class JdbcTableSource implements TableSource {
    private final SparkSession spark;
    private final SourceSettings settings;
    private final Warehouse warehouse;
    private final Optional<AuditWindow> window;

    /** {@code window} empty: read every row (validation, which has no {@code as_of}). */
    public JdbcTableSource(SparkSession spark, SourceSettings settings, Warehouse warehouse,
                           Optional<AuditWindow> window) {
        this.spark = requireNonNull(spark, "spark is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.window = requireNonNull(window, "window is null");
    }

    @Override
    public Optional<Dataset<Row>> read(CanonicalTable table) {
        TableMapping mapping = settings.mapping(table);
        if (mapping.query() != null) {
            // Spark sends it as a subquery of its own SELECT: the warehouse only reads. The
            // configuration refused anything but one SELECT statement.
            Dataset<Row> all = spark.read().format("jdbc").options(warehouse.sparkOptions())
                    .option("query", mapping.query())
                    .option("fetchsize", Integer.toString(warehouse.settings().fetchSize())).load();
            Map<String, StructField> fields = Arrays.stream(all.schema().fields())
                    .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
            return Optional.of(untilAsOf(table, mapping, fields, all));
        }
        SqlIdentifier name = new SqlIdentifier(mapping.path());
        try {
            if (!warehouse.tableExists(name)) {
                return Optional.empty();
            }
            DataFrameReader reader = spark.read().format("jdbc").options(warehouse.sparkOptions())
                    .option("dbtable", warehouse.qualified(name))
                    .option("fetchsize", Integer.toString(warehouse.settings().fetchSize()));
            Dataset<Row> all = reader.load();
            Map<String, StructField> fields = Arrays.stream(all.schema().fields())
                    .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
            if (mapping.partitions() > 1) {
                all = partitioned(reader, table, name, fields, mapping);
            }
            // An expression may read any column, so a table with one is read whole.
            Dataset<Row> rows = mapping.derived().isEmpty() ? all.select(mapped(table, mapping, fields, all)) : all;
            return Optional.of(untilAsOf(table, mapping, fields, rows));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + describe(table) + ": " + e.getMessage(), e);
        }
    }

    private static Column[] mapped(CanonicalTable table, TableMapping mapping, Map<String, StructField> fields,
                                   Dataset<Row> all) {
        List<Column> needed = new ArrayList<>();
        for (ColumnSpec spec : table.columns()) {
            String source = mapping.sourceColumn(spec.name());
            StructField f = source == null ? null : fields.get(source.toLowerCase(Locale.ROOT));
            if (f != null) {
                needed.add(all.col(backquote(f.name())));
            }
        }
        return needed.toArray(Column[]::new);
    }

    /**
     * Rows whose event time is after the end of {@code as_of} have not happened for this run. The
     * filter keeps rows without a time (the contract quarantines those) and is only applied when
     * the warehouse column already has the contract's type, so text is never compared as time.
     */
    private Dataset<Row> untilAsOf(CanonicalTable table, TableMapping mapping, Map<String, StructField> fields,
                                   Dataset<Row> rows) {
        if (window.isEmpty() || !warehouse.settings().pushWindowFilter() || table.eventTime().isEmpty()) {
            return rows;
        }
        ColumnSpec spec = table.column(table.eventTime().get()).orElseThrow();
        String source = mapping.sourceColumn(spec.name());
        StructField f = source == null ? null : fields.get(source.toLowerCase(Locale.ROOT));
        if (f == null || !f.dataType().equals(spec.type().sparkType())) {
            return rows;
        }
        Column time = rows.col(backquote(f.name()));
        Column happened = spec.type() == ColumnType.DATE ? time.leq(lit(window.get().asOf()))
                : time.lt(lit(window.get().endExclusive()));
        return rows.filter(happened.or(time.isNull()));
    }

    /**
     * Range-partitioned read. Spark needs bounds to cut the ranges; they only shape the split, every
     * row is read whatever they are, so the column's current minimum and maximum are good enough.
     */
    private Dataset<Row> partitioned(DataFrameReader reader, CanonicalTable table, SqlIdentifier name,
                                     Map<String, StructField> fields, TableMapping mapping) throws SQLException {
        StructField column = fields.get(mapping.partitionColumn().toLowerCase(Locale.ROOT));
        if (column == null) {
            throw AuditException.config("source.tables." + table.tableName() + ".partition_column",
                    "column '" + mapping.partitionColumn() + "' is not in " + describeTable(name),
                    "name a numeric, date or timestamp column of that table");
        }
        // The configured name was validated as an identifier; this is the same name as stored.
        String quoted = warehouse.quote(column.name());
        String lower;
        String upper;
        try (Connection c = warehouse.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(" + quoted + "), MAX(" + quoted + ") FROM "
                     + warehouse.qualified(name))) {
            rs.next();
            Object lo = rs.getObject(1);
            Object hi = rs.getObject(2);
            if (lo == null || hi == null) {
                return reader.load();
            }
            lower = bound(lo);
            upper = bound(hi);
        }
        return reader.option("partitionColumn", column.name()).option("lowerBound", lower)
                .option("upperBound", upper).option("numPartitions", Integer.toString(mapping.partitions()))
                .load();
    }

    private static String bound(Object value) {
        if (value instanceof Number n) {
            return Long.toString(n.longValue());
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString().replace('T', ' ');
        }
        return value.toString();
    }

    private static String backquote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private String describeTable(SqlIdentifier name) {
        return warehouse.describe() + " table " + name;
    }

    @Override
    public String describe(CanonicalTable table) {
        if (settings.mapping(table).query() != null) {
            return warehouse.describe() + " query of source.tables." + table.tableName();
        }
        return describeTable(new SqlIdentifier(settings.mapping(table).path()));
    }
}
