package dev.handshake.source;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.StarterConfig;
import dev.handshake.config.StarterConfig.FoundTable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An export directory as {@code init} sees it: each file or directory directly below it is a
 * table, with the header of its first file. Values are read through Spark, a bounded number of
 * distinct values per column, so a large export costs one small job per label column.
 */
public final class ExportScan implements StarterConfig.Export {
    private final SparkSession spark;
    private final Path root;
    private final FileFormat format;
    private final List<FoundTable> tables;

    public ExportScan(SparkSession spark, Path root, FileFormat format) {
        this.spark = requireNonNull(spark, "spark is null");
        this.root = requireNonNull(root, "root is null");
        this.format = requireNonNull(format, "format is null");
        this.tables = scan();
    }

    /** csv or parquet, whichever the export's files are, when --format is not given. */
    public static FileFormat detect(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> f.toString().toLowerCase(Locale.ROOT).endsWith(".parquet"))
                    ? FileFormat.PARQUET : FileFormat.CSV;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<FoundTable> scan() {
        if (!Files.isDirectory(root)) {
            throw AuditException.config("--input", "'" + root + "' is not a directory",
                    "pass the directory holding the export's files");
        }
        String suffix = format == FileFormat.CSV ? ".csv" : ".parquet";
        List<FoundTable> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted(Comparator.comparing(Path::toString)).toList()) {
                String file = entry.getFileName().toString();
                if (file.startsWith(".") || file.startsWith("_")) {
                    continue;
                }
                boolean table = Files.isDirectory(entry) || file.toLowerCase(Locale.ROOT).endsWith(suffix);
                if (table) {
                    String name = Files.isDirectory(entry) ? file : file.substring(0, file.length() - suffix.length());
                    out.add(new FoundTable(name, file, headers(entry)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private List<String> headers(Path entry) throws IOException {
        if (format == FileFormat.PARQUET) {
            return Arrays.asList(spark.read().parquet(entry.toString()).columns());
        }
        Path first = entry;
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                first = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("_")
                        && !f.getFileName().toString().startsWith(".")).sorted().findFirst().orElse(null);
            }
            if (first == null) {
                return List.of();
            }
        }
        try (Reader in = new InputStreamReader(BOMInputStream.builder().setPath(first).get(), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(CSVFormat.RFC4180).get()) {
            java.util.Iterator<CSVRecord> records = parser.iterator();
            return records.hasNext() ? records.next().toList() : List.of();
        }
    }

    @Override
    public List<FoundTable> tables() {
        return tables;
    }

    private Dataset<Row> rows(FoundTable table) {
        Path path = root.resolve(table.path());
        Dataset<Row> rows = format == FileFormat.PARQUET ? spark.read().parquet(path.toString())
                : spark.read().option("header", "true").option("inferSchema", "false").option("multiLine", "true")
                        .option("escape", "\"").csv(path.toString());
        // A byte order mark would otherwise stay in the first name.
        return rows.toDF(Arrays.stream(rows.columns()).map(c -> c.replace("\uFEFF", "")).toArray(String[]::new));
    }

    @Override
    public List<Map<String, String>> sample(FoundTable table, int limit) {
        Dataset<Row> rows = rows(table);
        String[] names = rows.columns();
        List<Map<String, String>> out = new ArrayList<>();
        for (Row r : rows.limit(limit).collectAsList()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                Object v = r.get(i);
                String text = v == null ? null : v.toString().strip();
                row.put(names[i], text == null || text.isEmpty() ? null : text);
            }
            out.add(row);
        }
        return out;
    }

    @Override
    public List<String> distinct(FoundTable table, String header, int limit) {
        Dataset<Row> rows = rows(table);
        String name = header;
        // Bounded: at most limit values reach the driver, whatever the size of the table.
        return rows.select(trim(col("`" + name.replace("`", "``") + "`").cast("string")).as("v"))
                .where(col("v").isNotNull().and(col("v").notEqual(""))).distinct().orderBy("v").limit(limit)
                .collectAsList().stream().map(r -> r.getString(0)).toList();
    }
}
