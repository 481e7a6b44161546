package dev.handshake.source;

import static java.util.Objects.requireNonNull;

import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
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
                .option("multiLine", "false")
                .option("escape", "\"")
                .schema(asText)
                .csv(path));
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
