package dev.handshake.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import dev.handshake.config.AuditConfig;
import dev.handshake.job.AuditJob;
import dev.handshake.model.CanonicalTable;
import dev.handshake.source.LocalFileSource;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times a plain full scan of every input table, then the audit, in one Spark "
                + "session, with a fixed CPU workload timed before and after (used by bench/run.sh).")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD")
    LocalDate asOf;

    @Option(names = "--output", required = true, paramLabel = "DIR")
    Path output;

    @Override
    public Integer call() throws Exception {
        AuditConfig config = options.load().withOutputRoot(output);
        // The machine's speed before and after, as a fixed workload's time (smaller is faster),
        // both taken with no Spark session running.
        double probeBefore = SpeedProbe.seconds();
        long rows = 0;
        double scan;
        double audit;
        try (SparkOptions.Session session = SparkOptions.session("handshake-audit bench", config)) {
            SparkSession spark = session.spark();
            LocalFileSource source = new LocalFileSource(spark, config.source());
            long start = System.nanoTime();
            for (CanonicalTable table : CanonicalTable.values()) {
                var raw = source.read(table);
                if (raw.isPresent()) {
                    // Hashing every column forces a real read of each value (count() alone
                    // would be answered from Parquet footers).
                    Dataset<Row> d = raw.get();
                    Column[] all = Arrays.stream(d.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
                    Row r = d.agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.bit_xor(xxhash64(all))).first();
                    rows += r.getLong(0);
                }
            }
            scan = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            new AuditJob(spark, config).run(asOf);
            audit = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf(Locale.ROOT, "bench input_rows=%d scan_seconds=%.2f audit_seconds=%.2f"
                + " speed_probe_seconds=%.3f/%.3f%n", rows, scan, audit, probeBefore, SpeedProbe.seconds());
        return 0;
    }
}
