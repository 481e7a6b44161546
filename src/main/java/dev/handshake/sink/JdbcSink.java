package dev.handshake.sink;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;

import dev.handshake.config.SqlIdentifier;
import dev.handshake.jdbc.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit tables in a warehouse schema, one table per audit table with {@code run_id} and
 * {@code as_of} columns, replaced as one unit per {@code as_of}.
 *
 * <p>Each table is first written to a staging table of its own ({@code <table>__stage_<as_of>_<run>}),
 * by Spark in parallel. {@link #commit()} then, in one transaction on one connection, deletes the
 * {@code as_of} rows of every table and inserts the staged ones, so readers see the old or the new
 * night, never a mix, and a failure before the commit leaves the old night as it was; the stages are
 * dropped after. Target tables are created if absent, from {@link AuditTableDdl} (the DDL kept in
 * {@code sql/snowflake/}); DDL runs before the transaction because Snowflake commits DDL implicitly.
 *
 * <p>Nested values (arrays, structs) are stored as JSON text, which every warehouse can hold and
 * Snowflake's {@code PARSE_JSON} reads; {@link #read} turns them back into their types. Report files
 * stay with the file store at the output root.
 */
public final class JdbcSink implements AuditSink {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__jdbc_";
    private static final String LATEST = PREFIX + "latest";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    static final String RUN_ID = "run_id";
    static final String AS_OF = "as_of";
    /** audit_run's list of the tables a run wrote ({@link RunRecord#OUTPUT}). */
    private static final String OUTPUTS = "outputs";

    private final SparkSession spark;
    private final Warehouse warehouse;
    private final String runId;
    private final LocalDate asOf;
    private final OutputStore files;
    private final Map<String, SqlIdentifier> staged = new LinkedHashMap<>();
    private final Map<String, StructType> stagedSchemas = new LinkedHashMap<>();
    private boolean filesStaged;
    /** The run's audit_run row staged by {@link #commit(Dataset)}, appended inside the swap; null otherwise. */
    private SqlIdentifier runStage;
    private StructType runSchema;
    private SwapHook swapHook = table -> { };

    /** Called inside the commit transaction after each table is replaced: lets a test fail the swap midway. */
    interface SwapHook {
        void replaced(String table) throws SQLException;
    }

    public JdbcSink(SparkSession spark, Warehouse warehouse, String runId, LocalDate asOf, OutputStore files) {
        this.spark = requireNonNull(spark, "spark is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.asOf = requireNonNull(asOf, "asOf is null");
        this.files = requireNonNull(files, "files is null");
    }

    void onSwap(SwapHook hook) {
        this.swapHook = requireNonNull(hook, "hook is null");
    }

    @Override
    public String location() {
        return warehouse.describe();
    }

    private String stagePrefix() {
        return "__stage_" + asOf.toString().replace("-", "") + "_";
    }

    private SqlIdentifier stageName(String table) {
        return new SqlIdentifier(table + stagePrefix() + runId.replaceAll("[^A-Za-z0-9_]", "_"));
    }

    @Override
    public void recover() {
        files.recover();
        // The swap is one transaction, so there is nothing to roll forward: only the stages of
        // runs for this as_of that died (or failed and were kept for inspection) are dropped.
        try (Connection c = warehouse.open(); Statement s = c.createStatement()) {
            for (String name : warehouse.tables(c, "audit_%")) {
                if (name.toLowerCase(Locale.ROOT).contains(stagePrefix())) {
                    LOG.warn("dropping staging table {} left by an earlier run for {}", name, asOf);
                    s.execute("DROP TABLE IF EXISTS " + warehouse.qualified(new SqlIdentifier(name)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot clean up earlier staging tables", e);
        }
    }

    @Override
    public long stage(String table, Dataset<Row> rows, boolean small, String... sortBy) {
        SqlIdentifier target = new SqlIdentifier(table);
        Dataset<Row> flat = flatten(rows);
        SqlIdentifier stage = stageName(table);
        try {
            createIfAbsent(target, flat.schema());
            long written = CountedWrite.write(small ? flat.coalesce(1) : flat,
                    w -> w.write().format("jdbc").options(warehouse.sparkOptions())
                            .option("dbtable", warehouse.qualified(stage))
                            // A stage is private to this run; its rows become visible only through the swap.
                            .option("isolationLevel", "NONE")
                            .mode(SaveMode.Overwrite).save(),
                    () -> countStaged(stage));
            staged.put(table, stage);
            stagedSchemas.put(table, rows.schema());
            return written;
        } catch (SQLException e) {
            throw failure("cannot stage " + table, e);
        }
    }

    private long countStaged(SqlIdentifier stage) {
        try (Connection c = warehouse.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + warehouse.qualified(stage))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("cannot count the staged rows of " + stage.name(), e);
        }
    }

    @Override
    public void stageFiles(String directory, Map<String, byte[]> reports) {
        files.stageFiles(directory, reports);
        filesStaged = true;
    }

    @Override
    public Map<LocalDate, byte[]> committedFiles(String directory, String name) {
        return files.committedFiles(directory, name);
    }

    @Override
    public void publishFile(String directory, String name, byte[] content) {
        files.publishFile(directory, name, content);
    }

    /**
     * The night's tables and this run's {@code audit_run} row in one transaction: a night whose
     * tables are visible always has its history row, and a run whose row says SUCCEEDED always has
     * its tables. The row is staged like a table, then appended (never replaced: a night keeps the
     * history of all its runs).
     */
    @Override
    public void commit(Dataset<Row> runRecord) {
        SqlIdentifier target = new SqlIdentifier(OutputStore.RUN_TABLE);
        Dataset<Row> flat = flatten(runRecord);
        SqlIdentifier stage = stageName(OutputStore.RUN_TABLE);
        try {
            createIfAbsent(target, flat.schema());
        } catch (SQLException e) {
            throw failure("cannot create audit_run", e);
        }
        flat.coalesce(1).write().format("jdbc").options(warehouse.sparkOptions())
                .option("dbtable", warehouse.qualified(stage)).option("isolationLevel", "NONE")
                .mode(SaveMode.Overwrite).save();
        runStage = stage;
        runSchema = runRecord.schema();
        commit();
    }

    @Override
    public void commit() {
        try (Connection c = warehouse.open()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, SqlIdentifier> e : staged.entrySet()) {
                    String target = warehouse.qualified(new SqlIdentifier(e.getKey()));
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM " + target + " WHERE " + warehouse.quote(AS_OF) + " = ?")) {
                        delete.setDate(1, java.sql.Date.valueOf(asOf));
                        delete.executeUpdate();
                    }
                    String columns = columns(e.getKey());
                    try (Statement insert = c.createStatement()) {
                        insert.executeUpdate("INSERT INTO " + target + " (" + columns + ") SELECT " + columns
                                + " FROM " + warehouse.qualified(e.getValue()));
                    }
                    swapHook.replaced(e.getKey());
                }
                if (runStage != null) {
                    String columns = java.util.Arrays.stream(flatSchema(runSchema).fieldNames()).map(warehouse::quote)
                            .collect(Collectors.joining(", "));
                    try (Statement insert = c.createStatement()) {
                        insert.executeUpdate("INSERT INTO " + warehouse.qualified(new SqlIdentifier(OutputStore.RUN_TABLE))
                                + " (" + columns + ") SELECT " + columns + " FROM " + warehouse.qualified(runStage));
                    }
                    swapHook.replaced(OutputStore.RUN_TABLE);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("cannot replace the tables of " + asOf + " (the previous result is unchanged)", e);
        }
        dropStages();
        if (filesStaged) {
            files.commit();
        }
    }

    private String columns(String table) {
        StructType schema = flatSchema(stagedSchemas.get(table));
        return java.util.Arrays.stream(schema.fieldNames()).map(warehouse::quote).collect(Collectors.joining(", "));
    }

    private void dropStages() {
        try (Connection c = warehouse.open(); Statement s = c.createStatement()) {
            for (SqlIdentifier stage : staged.values()) {
                s.execute("DROP TABLE IF EXISTS " + warehouse.qualified(stage));
            }
            if (runStage != null) {
                s.execute("DROP TABLE IF EXISTS " + warehouse.qualified(runStage));
            }
        } catch (SQLException e) {
            // The night is committed; a leftover stage is dropped by the next run's recover().
            LOG.warn("could not drop staging tables after commit: {}", e.getMessage());
        }
        staged.clear();
        runStage = null;
    }

    @Override
    public String keepFailed() {
        String kept = files.keepFailed();
        if (staged.isEmpty()) {
            return kept;
        }
        String tables = staged.values().stream().map(warehouse::qualified).collect(Collectors.joining(", "));
        return "staging tables " + tables + " in " + warehouse.describe() + " (dropped by the next run for "
                + asOf + ")" + (kept == null ? "" : " and " + kept);
    }

    /**
     * The latest successful run for an earlier {@code as_of} that wrote every given table, as (run_id,
     * as_of). A warehouse table holds no partition per night, and a night may write a table empty:
     * what a night wrote is read from its {@code audit_run.outputs}. A run recorded before that column
     * existed counts as having written every table the warehouse holds; a table the warehouse does
     * not hold has no previous night. A night that did not write them is passed over with a warning
     * naming it, for the one before.
     */
    @Override
    public Optional<PreviousNight> previousSucceeded(String... tables) {
        try {
            if (!warehouse.tableExists(new SqlIdentifier(OutputStore.RUN_TABLE))) {
                return Optional.empty();
            }
            for (String t : tables) {
                if (!warehouse.tableExists(new SqlIdentifier(t))) {
                    // Never written, or dropped since: no night can be read back from it.
                    return Optional.empty();
                }
            }
            Dataset<Row> runs = table(OutputStore.RUN_TABLE);
            boolean recordsOutputs = Arrays.stream(runs.columns()).anyMatch(c -> c.equalsIgnoreCase(OUTPUTS));
            Column written = recordsOutputs
                    ? transform(from_json(col(OUTPUTS), new ArrayType(RunRecord.OUTPUT, false)), o -> o.getField("table"))
                    : lit(null).cast(new ArrayType(DataTypes.StringType, true));
            // One row per earlier night (the history grows by night, not with input): its latest success.
            List<Row> nights = runs
                    .filter(col("status").equalTo(RunRecord.SUCCEEDED).and(col(AS_OF).lt(lit(asOf))))
                    .withColumn(LATEST, row_number().over(Window.partitionBy(col(AS_OF))
                            .orderBy(col("finished_at").desc())))
                    .filter(col(LATEST).equalTo(1))
                    .orderBy(col(AS_OF).desc())
                    .select(col(RUN_ID).as(RUN_ID), col(AS_OF).as(AS_OF), written.as(OUTPUTS)).collectAsList();
            for (Row night : nights) {
                // Read back by the query that selected them: (run_id, as_of, tables written).
                LocalDate previous = night.getDate(1).toLocalDate();
                if (night.isNullAt(2)) {
                    return Optional.of(new PreviousNight(night.getString(0), previous));
                }
                List<String> wrote = night.getList(2);
                List<String> missing = Arrays.stream(tables).filter(t -> !wrote.contains(t)).toList();
                if (missing.isEmpty()) {
                    return Optional.of(new PreviousNight(night.getString(0), previous));
                }
                LOG.warn("as_of={} is passed over as the previous night: it did not write {}", previous,
                        String.join(", ", missing));
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw failure("cannot read audit_run", e);
        }
    }

    @Override
    public Dataset<Row> read(String table, LocalDate partitionAsOf) {
        Dataset<Row> rows = table(table).filter(col(AS_OF).equalTo(lit(partitionAsOf)));
        StructType schema = stagedSchemas.get(table);
        List<Column> out = new ArrayList<>();
        out.add(col(RUN_ID).as(RUN_ID));
        if (schema == null) {
            java.util.Arrays.stream(rows.columns()).filter(c -> !c.equalsIgnoreCase(RUN_ID) && !c.equalsIgnoreCase(AS_OF))
                    .forEach(c -> out.add(col(c).as(c.toLowerCase(Locale.ROOT))));
        } else {
            // Back to the types the audit produced: JSON text to its nested type, numbers to their width.
            for (StructField f : schema.fields()) {
                Column c = col(f.name());
                out.add((nested(f.dataType()) ? from_json(c, f.dataType()) : c.cast(f.dataType())).as(f.name()));
            }
        }
        return rows.select(out.toArray(Column[]::new));
    }

    @Override
    public void appendRun(Dataset<Row> record) {
        SqlIdentifier target = new SqlIdentifier(OutputStore.RUN_TABLE);
        Dataset<Row> flat = flatten(record);
        try {
            createIfAbsent(target, flat.schema());
        } catch (SQLException e) {
            throw failure("cannot create audit_run", e);
        }
        // One row, one insert: the record is there whole or not at all.
        flat.coalesce(1).write().format("jdbc").options(warehouse.sparkOptions())
                .option("dbtable", warehouse.qualified(target)).mode(SaveMode.Append).save();
    }

    /** A committed table as the warehouse holds it (JSON text for nested values). */
    Dataset<Row> table(String table) {
        return spark.read().format("jdbc").options(warehouse.sparkOptions())
                .option("dbtable", warehouse.qualified(new SqlIdentifier(table))).load();
    }

    /**
     * Creates the table, or adds the columns this version writes that an existing table lacks
     * (nullable, at the end): a warehouse table created by an earlier version (e.g. audit_run before
     * {@code outputs} or {@code spark_jobs}) takes the new columns instead of failing the night's
     * commit. Nothing is dropped or retyped.
     */
    private void createIfAbsent(SqlIdentifier table, StructType schema) throws SQLException {
        try (Connection c = warehouse.open(); Statement s = c.createStatement()) {
            s.execute(AuditTableDdl.createTable(warehouse, table, schema));
            java.util.Set<String> present = new java.util.HashSet<>();
            try (java.sql.ResultSet none = s.executeQuery("SELECT * FROM " + warehouse.qualified(table) + " WHERE 1 = 0")) {
                java.sql.ResultSetMetaData meta = none.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    present.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
            }
            for (String add : AuditTableDdl.addColumns(warehouse, table, schema, present)) {
                s.execute(add);
                LOG.warn("{}: {} (a column this version writes; earlier rows have it null)", table.name(), add);
            }
        }
    }

    /** run_id, as_of, then the audit's columns with nested values as JSON text, names as the warehouse stores them. */
    private Dataset<Row> flatten(Dataset<Row> rows) {
        List<Column> cols = new ArrayList<>();
        cols.add(lit(runId).as(warehouse.normalize(RUN_ID)));
        cols.add(lit(asOf).as(warehouse.normalize(AS_OF)));
        for (StructField f : rows.schema().fields()) {
            Column c = col(f.name());
            cols.add((nested(f.dataType()) ? to_json(c) : c).as(warehouse.normalize(f.name())));
        }
        return rows.select(cols.toArray(Column[]::new));
    }

    /** The warehouse columns of an audit table with this schema (what {@link #flatten} produces). */
    static StructType flatSchema(StructType schema) {
        StructType out = new StructType().add(RUN_ID, DataTypes.StringType, false).add(AS_OF, DataTypes.DateType, false);
        for (StructField f : schema.fields()) {
            out = out.add(f.name(), nested(f.dataType()) ? DataTypes.StringType : f.dataType(), f.nullable());
        }
        return out;
    }

    static boolean nested(DataType type) {
        return type instanceof ArrayType || type instanceof StructType || type instanceof MapType;
    }

    private RuntimeException failure(String what, SQLException e) {
        return new IllegalStateException(what + " in " + warehouse.describe() + ": " + e.getMessage(), e);
    }
}
