package dev.handshake.sink;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit tables under an output root, one directory per table and per {@code as_of}
 * ({@code ROOT/<table>/as_of=YYYY-MM-DD/}), replaced as one unit per run.
 *
 * <p>A run first writes every table aside ({@code ROOT/_staging/as_of=D/<run_id>/}). Only when
 * all are complete does it write a commit journal, then swap each staged directory into place
 * with directory renames. A run killed while writing leaves the previous result untouched and
 * its staging is discarded by the next run; a run killed during the swap (milliseconds) is
 * rolled forward from its journal by the next run for that date ({@link #recover()}).
 */
public final class OutputStore implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STAGING = "_staging";
    static final String TRASH = "_trash";
    static final String JOURNAL = "_COMMIT.json";
    public static final String RUN_TABLE = "audit_run";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    private final String runId;
    private final LocalDate asOf;
    private final Map<String, Path> staged = new LinkedHashMap<>();

    public OutputStore(SparkSession spark, String root, String runId, LocalDate asOf) {
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

    private Path stagingDir() {
        return new Path(new Path(new Path(root, STAGING), partition()), runId);
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
        out.write().mode(SaveMode.Overwrite).parquet(dir.toString());
        staged.put(table, dir);
        return spark.read().parquet(dir.toString()).count();
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
        try {
            Path journal = new Path(stagingDir(), JOURNAL);
            try (OutputStream out = fs.create(journal, true)) {
                JSON.writeValue(out, new ArrayList<>(staged.keySet()));
            }
            swap(stagingDir(), List.copyOf(staged.keySet()));
            staged.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Finishes a swap a killed run had journaled, and discards staging that never reached its
     * journal. Only this {@code as_of} is touched.
     */
    @Override
    public void recover() {
        Path dir = new Path(new Path(root, STAGING), partition());
        try {
            if (!fs.exists(dir)) {
                return;
            }
            for (FileStatus run : fs.listStatus(dir)) {
                Path journal = new Path(run.getPath(), JOURNAL);
                if (fs.exists(journal)) {
                    List<String> tables;
                    try (InputStream in = fs.open(journal)) {
                        tables = Arrays.asList(JSON.readValue(in, String[].class));
                    }
                    LOG.warn("completing the interrupted commit of run {} for {}", run.getPath().getName(), partition());
                    swap(run.getPath(), tables);
                } else {
                    LOG.warn("discarding incomplete output of run {} for {}", run.getPath().getName(), partition());
                    fs.delete(run.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a failed run's staged tables (e.g. its quarantine) for inspection; returns where. */
    @Override
    public String keepFailed() {
        try {
            Path target = new Path(new Path(root, "_failed"), runId);
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
     * The latest successful run for an earlier {@code as_of}, as (run_id, as_of), if the history has one
     * whose tables are still in place.
     */
    @Override
    public java.util.Optional<Row> previousSucceeded(String... tables) {
        try {
            Path runs = new Path(root, RUN_TABLE);
            if (!fs.exists(runs)) {
                return java.util.Optional.empty();
            }
            java.util.List<Row> latest = spark.read().parquet(runs.toString())
                    .filter(col("status").equalTo(RunRecord.SUCCEEDED).and(col("as_of").lt(lit(asOf))))
                    .orderBy(col("as_of").desc(), col("finished_at").desc())
                    .select(col("run_id"), col("as_of")).limit(1).collectAsList();
            if (latest.isEmpty()) {
                return java.util.Optional.empty();
            }
            LocalDate previous = latest.get(0).getDate(1).toLocalDate();
            for (String table : tables) {
                if (!fs.exists(new Path(new Path(root, table), "as_of=" + previous))) {
                    return java.util.Optional.empty();
                }
            }
            return java.util.Optional.of(latest.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A committed table partition for another as_of (without its partition column). */
    @Override
    public Dataset<Row> read(String table, LocalDate partitionAsOf) {
        return spark.read().parquet(new Path(new Path(root, table), "as_of=" + partitionAsOf).toString());
    }

    /** Appends this run's record to the run history; written last, atomically by rename. */
    @Override
    public void appendRun(Dataset<Row> record) {
        Path aside = new Path(new Path(root, STAGING), "run-" + runId);
        record.coalesce(1).write().mode(SaveMode.Overwrite).parquet(aside.toString());
        try {
            Path target = new Path(new Path(new Path(root, RUN_TABLE), partition()), "run_id=" + runId);
            fs.mkdirs(target.getParent());
            rename(aside, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void swap(Path stagedRun, List<String> tables) throws IOException {
        Path trash = new Path(new Path(root, TRASH), stagedRun.getName());
        for (String table : tables) {
            Path source = new Path(stagedRun, table);
            if (!fs.exists(source)) {
                continue; // swapped before the interruption
            }
            Path target = tableDir(table);
            fs.mkdirs(target.getParent());
            if (fs.exists(target)) {
                fs.mkdirs(trash);
                rename(target, new Path(trash, table));
            }
            rename(source, target);
        }
        fs.delete(trash, true);
        fs.delete(stagedRun, true);
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename failed: " + from + " -> " + to);
        }
    }
}
