package dev.handshake.source;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.RawTable;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.config.FormatOptions;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;
import org.apache.spark.sql.AnalysisException;
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
        TableMapping mapping = settings.mapping(table);
        if (mapping.query() != null) {
            return Optional.of(queried(table, mapping.query()));
        }
        Path dir = location(table);
        if (!Files.exists(dir)) {
            return Optional.empty();
        }
        return Optional.of(file(table.tableName(), dir, mapping.format()));
    }

    /** One table or raw table as read: Parquet as written, CSV as text under its format options. */
    private Dataset<Row> file(String name, Path dir, FormatOptions fmt) {
        String path = dir.toString();
        if (settings.format() == FileFormat.PARQUET) {
            return spark.read().parquet(path);
        }
        List<String> names = headers(name, dir, fmt);
        // Every CSV column is read as text and coerced by the contract, so a bad value is
        // quarantined with a reason instead of failing the read or being inferred away. The names
        // are the header's as Commons CSV reads it, so a byte order mark never becomes part of one.
        StructType asText = new StructType(names.stream()
                .map(n -> DataTypes.createStructField(n, DataTypes.StringType, true))
                .toArray(org.apache.spark.sql.types.StructField[]::new))
                .add(CORRUPT_RECORD, DataTypes.StringType, true);
        return spark.read()
                .option("header", "true")
                .option("enforceSchema", "true")
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                // A quoted field may hold a line break (valid CSV): one record, not two broken ones.
                .option("multiLine", "true")
                .option("sep", Character.toString(fmt.delimiter()))
                .option("quote", Character.toString(fmt.quote()))
                .option("escape", Character.toString(fmt.escape()))
                .option("encoding", fmt.encoding().name())
                .schema(asText)
                .csv(path);
    }

    /**
     * A table defined by a query over the raw tables ({@code source.raw}): each raw table is
     * registered by its name for the query, read as any table is, and the query's result goes
     * through the contract like a file would.
     */
    private Dataset<Row> queried(CanonicalTable table, String query) {
        for (RawTable raw : settings.raw().values()) {
            file(raw.name(), settings.root().resolve(raw.path()), raw.format()).createOrReplaceTempView(raw.name());
        }
        String key = "source.tables." + table.tableName() + ".query";
        try {
            return spark.sql(query);
        } catch (Exception e) {
            // AnalysisException is checked in Java's eyes but undeclared in Scala; anything else is a bug.
            if (!(e instanceof AnalysisException analysis)) {
                throw e;
            }
            String unknown = analysis.getMessageParameters().getOrDefault("objectName",
                    analysis.getMessageParameters().getOrDefault("relationName", ""));
            throw AuditException.config(key, unknown.isEmpty() ? "cannot run over the raw tables ("
                            + analysis.getErrorClass() + ")" : "names " + unknown + ", which no raw table has",
                    "query only the tables under source.raw (" + String.join(", ", settings.raw().keySet())
                            + ") and their columns");
        }
    }

    /** The header of the table's first data file, after checking that no file repeats a name. */
    private static List<String> headers(String name, Path dir, FormatOptions fmt) {
        refuseDuplicateHeaders(name, dir, fmt);
        try (Stream<Path> files = Files.walk(dir)) {
            Path first = files.filter(Files::isRegularFile).filter(LocalFileSource::isDataFile).sorted()
                    .findFirst().orElse(null);
            return first == null ? List.of() : header(first, fmt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Spark keeps a column whose name repeats in a CSV header under a renamed name, so the mapped
     * column silently reads as absent. Each file's header is checked (names compared as Spark
     * does, ignoring case) and a repeat refused, naming the file and the column.
     */
    private static void refuseDuplicateHeaders(String table, Path dir, FormatOptions fmt) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(LocalFileSource::isDataFile).toList()) {
                List<String> names = header(file, fmt);
                Set<String> seen = new HashSet<>();
                for (String name : names) {
                    if (!seen.add(name.trim().toLowerCase(Locale.ROOT))) {
                        throw new AuditException(AuditException.Code.INPUT_CONTRACT, "table " + table
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

    /** The first record of a file, read with the table's delimiter, quote and encoding. */
    private static List<String> header(Path file, FormatOptions fmt) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(fmt.delimiter()).setQuote(fmt.quote())
                .setEscape(fmt.escape() == fmt.quote() ? null : fmt.escape()).get();
        try (Reader in = new InputStreamReader(BOMInputStream.builder().setPath(file).get(), fmt.encoding());
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(format).get()) {
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
        if (settings.mapping(table).query() != null) {
            return "query of source.tables." + table.tableName() + " over " + settings.root();
        }
        return location(table).toString();
    }

    private Path location(CanonicalTable table) {
        if (settings.mapping(table).query() != null) {
            return settings.root();
        }
        return settings.root().resolve(settings.mapping(table).path());
    }
}
