package dev.handshake.sink;

import dev.handshake.model.OutputTable;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where one run's audit tables go, replaced as one unit per {@code as_of}: every table is staged,
 * then {@link #commit()} makes all of them visible together, and readers see the previous or the
 * new result, never a mix. {@link OutputStore} keeps them as files, {@link JdbcSink} in a
 * warehouse schema; the job makes the same calls on either.
 */
public interface AuditSink {
    /** Where the tables are, for logs and the run's outcome (never a credential). */
    String location();

    /** Finishes or discards what an interrupted earlier run for this {@code as_of} left. */
    void recover();

    /** Writes a table aside with {@code run_id} first; returns its row count as written. */
    long stage(String table, Dataset<Row> rows, boolean small, String... sortBy);

    /** Writes an output table as its descriptor says (size class, sort columns). */
    default long stage(OutputTable table, Dataset<Row> rows) {
        return stage(table.name(), rows, table.small(), table.sortBy().toArray(String[]::new));
    }

    /** Small report files published with the tables (always under the file output root). */
    void stageFiles(String directory, Map<String, byte[]> files);

    /**
     * One report file of every committed night ({@code directory/as_of=D/name}), by night; the
     * files are always under the file output root.
     */
    Map<LocalDate, byte[]> committedFiles(String directory, String name);

    /**
     * Replaces {@code directory/name} beside the nights' directories (e.g. the index of reports):
     * written aside, then renamed over the old one, so a reader never sees half a file.
     */
    void publishFile(String directory, String name, byte[] content);

    /** Makes every staged table visible at once. */
    void commit();

    /**
     * Makes every staged table visible at once, with this run's {@code audit_run} row, so that a
     * run whose tables are visible has its history row. A sink that cannot put both under one
     * commit appends the row right after.
     */
    default void commit(Dataset<Row> runRecord) {
        commit();
        appendRun(runRecord);
    }

    /** Keeps a failed run's staged tables for inspection; says where, or null if nothing was kept. */
    String keepFailed();

    /** The latest successful run for an earlier {@code as_of} whose given tables are still there. */
    Optional<PreviousNight> previousSucceeded(String... tables);

    /** A committed table for another {@code as_of}: run_id and the table's columns, as staged. */
    Dataset<Row> read(String table, LocalDate partitionAsOf);

    /** Appends a run's record to {@code audit_run} outside a commit (a failed run's); written last. */
    void appendRun(Dataset<Row> record);
}
