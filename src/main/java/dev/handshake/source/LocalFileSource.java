package dev.handshake.source;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Reads each canonical table from a Parquet or CSV directory below the configured root. */
public final class LocalFileSource implements TableSource {
    /** Spark puts the text of a CSV line it could not split into this column. */
    public static final String CORRUPT_RECORD = "_corrupt_record";

    private final SparkSession spark;
    private final SourceSettings settings;

    public LocalFileSource(SparkSession spark, SourceSettings settings) {
        this.spark = requireNonNull(spark, "spark is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Optional<Dataset<Row>> read(CanonicalTable table) {
        Path dir = location(table);
        if (!Files.exists(dir)) {
            return Optional.empty();
        }
        String path = dir.toString();
        if (settings.format() == FileFormat.PARQUET) {
            return Optional.of(spark.read().parquet(path));
        }
        refuseDuplicateHeaders(table, dir);
        // Every CSV column is read as text and coerced by the contract, so a bad value is
        // quarantined with a reason instead of failing the read or being inferred away.
        StructType header = spark.read().option("header", "true").option("inferSchema", "false")
                .csv(path).schema();
        StructType asText = new StructType(Arrays.stream(header.fieldNames())
                .map(n -> DataTypes.createStructField(n, DataTypes.StringType, true))
                .toArray(org.apache.spark.sql.types.StructField[]::new))
                .add(CORRUPT_RECORD, DataTypes.StringType, true);
        return Optional.of(spark.read()
                .option("header", "true")
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                // A quoted field may hold a line break (valid CSV): one record, not two broken ones.
                .option("multiLine", "true")
                .option("escape", "\"")
                .schema(asText)
                .csv(path));
    }

    /**
     * Spark keeps a column whose name repeats in a CSV header under a renamed name, so the mapped
     * column silently reads as absent. Each file's header is checked (names compared as Spark
     * does, ignoring case) and a repeat refused, naming the file and the column.
     */
    private static void refuseDuplicateHeaders(CanonicalTable table, Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(LocalFileSource::isDataFile).toList()) {
                List<String> names = header(file);
                Set<String> seen = new HashSet<>();
                for (String name : names) {
                    if (!seen.add(name.trim().toLowerCase(Locale.ROOT))) {
                        throw new AuditException(AuditException.Code.INPUT_CONTRACT, "table " + table.tableName()
                                + ": the header of " + file + " names the column '" + name.trim()
                                + "' more than once. Fix: rename or drop the repeated column in the export");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spark skips files whose names start with _ or . (markers such as _SUCCESS, checksums). */
    private static boolean isDataFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private static List<String> header(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(CSVFormat.RFC4180).get()) {
            java.util.Iterator<CSVRecord> records = parser.iterator();
            return records.hasNext() ? records.next().toList() : List.of();
        }
    }

    /** The files are listed when a table is read and not written during a run. */
    @Override
    public boolean rereadable() {
        return true;
    }

    @Override
    public String describe(CanonicalTable table) {
        return location(table).toString();
    }

    private Path location(CanonicalTable table) {
        return settings.root().resolve(settings.mapping(table).path());
    }
}
