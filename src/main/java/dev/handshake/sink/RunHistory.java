package dev.handshake.sink;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the run history ({@code audit_run}) of an output root. */
public final class RunHistory {
    private RunHistory() {}

    /**
     * The mean duration in seconds of the last {@code runs} successful runs under this root, and
     * how many it is the mean of; empty when none succeeded yet.
     */
    public static Optional<double[]> recentSeconds(SparkSession spark, String root, int runs) {
        requireNonNull(spark, "spark is null");
        try {
            Path rootPath = new Path(requireNonNull(root, "root is null"));
            FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path history = new Path(rootPath, OutputStore.RUN_TABLE);
            if (!fs.exists(history)) {
                return Optional.empty();
            }
            Row r = spark.read().parquet(history.toString()).filter(col("status").equalTo(RunRecord.SUCCEEDED))
                    .orderBy(col("finished_at").desc()).limit(runs)
                    .agg(avg(col("finished_at").cast("double").minus(col("started_at").cast("double"))), count(lit(1)))
                    .first();
            return r.getLong(1) == 0 ? Optional.empty() : Optional.of(new double[] {r.getDouble(0), r.getLong(1)});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest successful run for exactly this {@code as_of}, if any: its tables are in place. */
    public static Optional<String> succeeded(SparkSession spark, String root, LocalDate asOf) {
        requireNonNull(spark, "spark is null");
        try {
            Path rootPath = new Path(requireNonNull(root, "root is null"));
            FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path runs = new Path(new Path(rootPath, OutputStore.RUN_TABLE), "as_of=" + asOf);
            if (!fs.exists(runs)) {
                return Optional.empty();
            }
            List<Row> latest = spark.read().parquet(runs.toString())
                    .filter(col("status").equalTo(RunRecord.SUCCEEDED))
                    .orderBy(col("finished_at").desc()).select(col("run_id")).limit(1).collectAsList();
            return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0).getString(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
