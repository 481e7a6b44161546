package dev.handshake.testing;

import dev.handshake.job.SparkSessions;
import dev.handshake.sink.OutputStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares two output roots for one {@code as_of}, row for row: every audit table (run ids,
 * the previous night's included, aside) and every report file (run ids replaced). Used by jobs/cluster-test.sh to hold a cluster
 * run to the local-mode result; prints each difference and exits 1 when there is one.
 *
 * <p>{@code audit_run} is left out: its rows are about the run (times, durations), not the audit.
 */
public final class CompareOutputs {
    private CompareOutputs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: CompareOutputs EXPECTED_ROOT ACTUAL_ROOT AS_OF");
            System.exit(2);
        }
        SparkSession spark = SparkSessions.create("compare-outputs", "local[2]", 4,
                Map.of("spark.ui.enabled", "false"));
        List<String> problems = compare(spark, Path.of(args[0]), Path.of(args[1]), args[2]);
        spark.stop();
        problems.forEach(p -> System.err.println("DIFFERENT: " + p));
        System.out.println(problems.isEmpty() ? "outputs equal" : problems.size() + " difference(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    public static List<String> compare(SparkSession spark, Path expected, Path actual, String asOf)
            throws IOException {
        List<String> problems = new ArrayList<>();
        TreeSet<String> tables = new TreeSet<>(tables(expected, asOf));
        if (!tables.equals(new TreeSet<>(tables(actual, asOf)))) {
            problems.add("table sets differ: " + tables + " vs " + tables(actual, asOf));
        }
        if (tables.isEmpty()) {
            problems.add("no tables for as_of=" + asOf + " under " + expected);
        }
        String expectedRun = runId(spark, expected, asOf);
        String actualRun = runId(spark, actual, asOf);
        for (String table : tables) {
            Path a = expected.resolve(table).resolve("as_of=" + asOf);
            Path b = actual.resolve(table).resolve("as_of=" + asOf);
            if (!Files.isDirectory(b)) {
                continue;
            }
            if (table.equals("reports")) {
                compareFiles(a, b, expectedRun, actualRun, problems);
                continue;
            }
            // previous_run_id (audit_drift) names the run of the night before: a run id too.
            Dataset<Row> x = spark.read().parquet(a.toString()).drop("run_id", "previous_run_id");
            Dataset<Row> y = spark.read().parquet(b.toString()).drop("run_id", "previous_run_id");
            if (!Arrays.equals(x.schema().fields(), y.schema().fields())) {
                problems.add(table + ": schemas differ: " + x.schema().simpleString() + " vs "
                        + y.schema().simpleString());
                continue;
            }
            long nx = x.count();
            long ny = y.count();
            List<Row> missing = x.exceptAll(y).limit(5).collectAsList();
            List<Row> extra = y.exceptAll(x).limit(5).collectAsList();
            if (nx != ny || !missing.isEmpty() || !extra.isEmpty()) {
                problems.add(table + ": " + nx + " vs " + ny + " rows; only in expected " + missing
                        + "; only in actual " + extra);
            } else {
                System.out.println("same: " + table + " (" + nx + " rows)");
            }
        }
        return problems;
    }

    private static List<String> tables(Path root, String asOf) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("as_of=" + asOf)))
                    .map(d -> d.getFileName().toString())
                    .filter(n -> !n.startsWith("_") && !n.equals(OutputStore.RUN_TABLE))
                    .sorted().toList();
        }
    }

    private static String runId(SparkSession spark, Path root, String asOf) {
        return spark.read().parquet(root.resolve(OutputStore.RUN_TABLE).resolve("as_of=" + asOf).toString())
                .filter("status = 'SUCCEEDED'").orderBy(org.apache.spark.sql.functions.col("finished_at").desc())
                .select("run_id").first().getString(0);
    }

    private static void compareFiles(Path a, Path b, String runA, String runB, List<String> problems)
            throws IOException {
        try (Stream<Path> files = Files.list(a)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                Path g = b.resolve(f.getFileName());
                if (!Files.exists(g)) {
                    problems.add("report " + f.getFileName() + " missing");
                    continue;
                }
                String x = Files.readString(f, StandardCharsets.UTF_8).replace(runA, "RUN_ID");
                String y = Files.readString(g, StandardCharsets.UTF_8).replace(runB, "RUN_ID");
                if (!x.equals(y)) {
                    problems.add("report " + f.getFileName() + " differs");
                } else {
                    System.out.println("same: report " + f.getFileName());
                }
            }
        }
    }
}
