package dev.handshake.sink;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit tables under an output root, one directory per table and per {@code as_of}
 * ({@code ROOT/<table>/as_of=YYYY-MM-DD/}), replaced as one unit per run.
 *
 * <p>A run first writes every table aside ({@code ROOT/_staging/as_of=D/<run_id>/}), its run
 * history row included. Only when all are complete does it write a commit journal (to a
 * temporary name, synced, then renamed, so the journal is whole or absent), then swap each staged
 * directory into place with directory renames, the history row last. A run killed before the
 * journal's rename leaves the previous result untouched and its staging is discarded by the next
 * run; a run killed during the swap (milliseconds) is rolled forward from its journal by the
 * next run for that date ({@link #recover()}). Every state and its recovery: docs/failure-handling.md.
 */
public final class OutputStore implements AuditSink {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__store_";
    private static final String LATEST = PREFIX + "latest";
    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STAGING = "_staging";
    static final String TRASH = "_trash";
    static final String JOURNAL = "_COMMIT.json";
    static final String JOURNAL_TEMP = "_COMMIT.json.tmp";
    static final String FAILED = "_failed";
    /** The staged entry holding this run's {@code audit_run} row; swapped in after the tables. */
    static final String RUN_ENTRY = "_run";
    private static final String FAILED_RECORD_PREFIX = "record-";
    public static final String RUN_TABLE = "audit_run";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    private final String runId;
    private final LocalDate asOf;
    private final Map<String, Path> staged = new LinkedHashMap<>();
    /** Called at each step of the commit protocol; a test throws from it to simulate a kill there. */
    private final FaultPoint faultPoint;

    /** A named step of the commit protocol (see {@link #commit(Dataset)}). */
    @FunctionalInterface
    interface FaultPoint {
        void reached(String step);
    }

    public OutputStore(SparkSession spark, String root, String runId, LocalDate asOf) {
        this(spark, root, runId, asOf, step -> { });
    }

    OutputStore(SparkSession spark, String root, String runId, LocalDate asOf, FaultPoint faultPoint) {
        this.faultPoint = requireNonNull(faultPoint, "faultPoint is null");
        this.spark = requireNonNull(spark, "spark is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.asOf = requireNonNull(asOf, "asOf is null");
        try {
            Path p = new Path(requireNonNull(root, "root is null"));
            this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    private String partition() {
        return "as_of=" + asOf;
    }

    private Path stagingPartition(LocalDate night) {
        return new Path(new Path(root, STAGING), "as_of=" + night);
    }

    private Path stagingDir() {
        return new Path(stagingPartition(asOf), runId);
    }

    private Path runTarget(String id) {
        return new Path(new Path(new Path(root, RUN_TABLE), partition()), "run_id=" + id);
    }

    public Path tableDir(String table) {
        return new Path(new Path(root, table), partition());
    }

    /**
     * Writes a table aside with {@code run_id} first; {@code as_of} is the partition directory.
     * Small tables are written as one sorted file so that reruns produce the same file.
     */
    @Override
    public long stage(String table, Dataset<Row> rows, boolean small, String... sortBy) {
        Path dir = new Path(stagingDir(), table);
        List<Column> cols = new ArrayList<>();
        cols.add(lit(runId).as("run_id"));
        Arrays.stream(rows.columns()).forEach(c -> cols.add(col(c)));
        Dataset<Row> out = rows.select(cols.toArray(Column[]::new));
        if (small) {
            out = out.coalesce(1);
        }
        if (sortBy.length > 0) {
            out = out.sortWithinPartitions(Arrays.stream(sortBy).map(c -> col(c)).toArray(Column[]::new));
        }
        long written = CountedWrite.write(out, w -> w.write().mode(SaveMode.Overwrite).parquet(dir.toString()),
                () -> spark.read().parquet(dir.toString()).count());
        staged.put(table, dir);
        faultPoint.reached("staged " + table);
        return written;
    }

    /**
     * Stages small files (reports) as one directory that is swapped in with the tables, so a
     * report is never newer or older than the tables it describes.
     */
    @Override
    public void stageFiles(String directory, java.util.Map<String, byte[]> files) {
        Path dir = new Path(stagingDir(), directory);
        try {
            fs.delete(dir, true);
            fs.mkdirs(dir);
            for (var e : files.entrySet()) {
                try (OutputStream out = fs.create(new Path(dir, e.getKey()), true)) {
                    out.write(e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        staged.put(directory, dir);
    }

    @Override
    public Map<LocalDate, byte[]> committedFiles(String directory, String name) {
        Map<LocalDate, byte[]> out = new java.util.TreeMap<>();
        Path dir = new Path(root, directory);
        try {
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus night : fs.listStatus(dir)) {
                String n = night.getPath().getName();
                Path file = new Path(night.getPath(), name);
                if (night.isDirectory() && n.startsWith("as_of=") && fs.exists(file)) {
                    try (InputStream in = fs.open(file)) {
                        out.put(LocalDate.parse(n.substring("as_of=".length())), in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void publishFile(String directory, String name, byte[] content) {
        Path dir = new Path(root, directory);
        Path aside = new Path(dir, "." + name + "." + runId + ".tmp");
        Path target = new Path(dir, name);
        try {
            fs.mkdirs(dir);
            try (OutputStream out = fs.create(aside, true)) {
                out.write(content);
            }
            // FileContext's rename replaces the old file in one step (rename(2) on a local disk, one
            // namenode operation on HDFS); FileSystem's own rename refuses an existing target.
            org.apache.hadoop.fs.FileContext.getFileContext(root.toUri(), spark.sparkContext().hadoopConfiguration())
                    .rename(aside, target, org.apache.hadoop.fs.Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Swaps every staged table into place; readers see the old or the new directory. */
    @Override
    public void commit() {
        publish();
    }

    /**
     * Swaps every staged table into place and then this run's history row, all under one
     * journal: a run whose tables are visible always has its {@code audit_run} row, even when
     * killed between the two (the next run rolls both forward).
     */
    @Override
    public void commit(Dataset<Row> runRecord) {
        Path dir = new Path(stagingDir(), RUN_ENTRY);
        runRecord.coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
        staged.put(RUN_ENTRY, dir);
        publish();
    }

    private void publish() {
        try {
            faultPoint.reached("before journal");
            writeJournal(stagingDir(), List.copyOf(staged.keySet()));
            swap(stagingDir(), List.copyOf(staged.keySet()), faultPoint);
            staged.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the journal whole or not at all: to a temporary name, synced to disk, then renamed.
     * A kill before the rename leaves no journal (the run never committed); after it, a complete one.
     */
    private void writeJournal(Path dir, List<String> entries) throws IOException {
        byte[] content = JSON.writeValueAsBytes(entries);
        Path temp = new Path(dir, JOURNAL_TEMP);
        Path journal = new Path(dir, JOURNAL);
        if ("file".equals(fs.getUri().getScheme())) {
            // Hadoop's local streams do not reach fsync; java.nio does, for the file and its directory.
            java.nio.file.Path localTemp = java.nio.file.Path.of(temp.toUri());
            try (FileChannel out = FileChannel.open(localTemp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                faultPoint.reached("journal created, empty");
                out.write(ByteBuffer.wrap(content));
                out.force(true);
            }
            faultPoint.reached("journal written, not renamed");
            Files.move(localTemp, java.nio.file.Path.of(journal.toUri()), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(localTemp.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        } else {
            try (FSDataOutputStream out = fs.create(temp, true)) {
                faultPoint.reached("journal created, empty");
                out.write(content);
                out.hsync();
            }
            faultPoint.reached("journal written, not renamed");
            rename(temp, journal);
        }
        faultPoint.reached("journal committed");
    }

    /**
     * Finishes a swap a killed run had journaled, and discards staging that never reached its
     * journal (an empty or unreadable journal included: the rename that makes a journal visible
     * comes after it is synced, so such a file was never a commit). Only this {@code as_of} is
     * touched: the caller holds its lock.
     */
    @Override
    public void recover() {
        Path dir = stagingPartition(asOf);
        try {
            if (!fs.exists(dir)) {
                return;
            }
            for (FileStatus run : fs.listStatus(dir)) {
                String name = run.getPath().getName();
                Optional<List<String>> tables = journal(run.getPath());
                if (tables.isPresent()) {
                    LOG.warn("completing the interrupted commit of run {} for {}", name, partition());
                    swap(run.getPath(), tables.get(), step -> { });
                } else {
                    LOG.warn("discarding incomplete output of run {} for {} (it never committed)", name, partition());
                    fs.delete(run.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries a run's journal lists, or empty when it has no complete journal. */
    private Optional<List<String>> journal(Path stagedRun) throws IOException {
        Path journal = new Path(stagedRun, JOURNAL);
        if (!fs.exists(journal)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(journal)) {
            return Optional.of(Arrays.asList(JSON.readValue(in, String[].class)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the commit journal {} is empty or unreadable ({}): treated as never committed",
                    journal, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Whether a night has a journaled commit that has not finished: its tables may be a mix. */
    private boolean commitPending(LocalDate night) throws IOException {
        Path dir = stagingPartition(night);
        if (!fs.exists(dir)) {
            return false;
        }
        for (FileStatus run : fs.listStatus(dir)) {
            if (journal(run.getPath()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps a failed run's staged tables (e.g. its quarantine) for inspection; returns where. */
    @Override
    public String keepFailed() {
        try {
            if (journal(stagingDir()).isPresent()) {
                // Committed but not fully swapped: the next run for this night rolls it forward.
                LOG.warn("run {} committed {} but did not finish the swap; the next run for {} finishes it",
                        runId, stagingDir(), partition());
                return null;
            }
            Path target = new Path(new Path(root, FAILED), runId);
            fs.mkdirs(target.getParent());
            if (fs.exists(stagingDir()) && fs.rename(stagingDir(), target)) {
                return target.toString();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The latest successful run for an earlier {@code as_of} whose night is complete, as (run_id,
     * as_of): its given tables are in place and no interrupted commit is pending for it. A night
     * that is not complete is passed over with a warning naming it, for the one before.
     */
    @Override
    public Optional<PreviousNight> previousSucceeded(String... tables) {
        try {
            Path runs = new Path(root, RUN_TABLE);
            if (!fs.exists(runs)) {
                return Optional.empty();
            }
            // One row per earlier night (the history grows by night, not with input): its latest success.
            List<Row> nights = spark.read().parquet(runs.toString())
                    .filter(col("status").equalTo(RunRecord.SUCCEEDED).and(col("as_of").lt(lit(asOf))))
                    .withColumn(LATEST, row_number().over(Window.partitionBy(col("as_of"))
                            .orderBy(col("finished_at").desc())))
                    .filter(col(LATEST).equalTo(1))
                    .orderBy(col("as_of").desc()).select(col("run_id"), col("as_of")).collectAsList();
            for (Row night : nights) {
                LocalDate previous = night.getDate(1).toLocalDate();
                List<String> missing = Arrays.stream(tables)
                        .filter(t -> !exists(new Path(new Path(root, t), "as_of=" + previous))).toList();
                if (!missing.isEmpty()) {
                    LOG.warn("as_of={} is passed over as the previous night: its {} missing", previous,
                            String.join(", ", missing) + (missing.size() == 1 ? " is" : " are"));
                } else if (commitPending(previous)) {
                    LOG.warn("as_of={} is passed over as the previous night: its commit was interrupted and "
                            + "is finished by the next run for that night", previous);
                } else {
                    return Optional.of(new PreviousNight(night.getString(0), previous));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean exists(Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A committed table partition for another as_of (without its partition column). */
    @Override
    public Dataset<Row> read(String table, LocalDate partitionAsOf) {
        return spark.read().parquet(new Path(new Path(root, table), "as_of=" + partitionAsOf).toString());
    }

    /**
     * Appends a run's record to the run history by rename (a failed run's; a successful run's
     * record is part of its commit). Written aside under this night's staging, so a kill leaves
     * nothing the next run for the night does not discard.
     */
    @Override
    public void appendRun(Dataset<Row> record) {
        Path aside = new Path(stagingPartition(asOf), FAILED_RECORD_PREFIX + runId);
        record.coalesce(1).write().mode(SaveMode.Overwrite).parquet(aside.toString());
        try {
            Path target = runTarget(runId);
            fs.mkdirs(target.getParent());
            rename(aside, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves each journaled entry into place; an entry already moved (before a kill) is skipped, so
     * it can run again from any point. The old table goes to a trash directory first: a kill
     * between the two renames leaves the table absent for that instant, never a mix of two runs.
     */
    private void swap(Path stagedRun, List<String> entries, FaultPoint fault) throws IOException {
        Path trash = new Path(new Path(root, TRASH), stagedRun.getName());
        for (String entry : entries) {
            Path source = new Path(stagedRun, entry);
            if (!fs.exists(source)) {
                continue; // swapped before the interruption
            }
            Path target = RUN_ENTRY.equals(entry) ? runTarget(stagedRun.getName()) : tableDir(entry);
            fs.mkdirs(target.getParent());
            if (fs.exists(target)) {
                fs.mkdirs(trash);
                rename(target, new Path(trash, entry));
                fault.reached("swap " + entry + ": old moved out");
            }
            rename(source, target);
            fault.reached("swap " + entry + ": new moved in");
        }
        fs.delete(trash, true);
        fault.reached("trash deleted");
        fs.delete(stagedRun, true);
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename failed: " + from + " -> " + to);
        }
    }
}
