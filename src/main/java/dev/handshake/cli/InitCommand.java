package dev.handshake.cli;

import dev.handshake.AuditException;
import dev.handshake.Steps;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.source.InputLoader;
import dev.handshake.source.LocalFileSource;
import dev.handshake.source.TableCount;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.StarterConfig;
import dev.handshake.source.ExportScan;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Prints a starter configuration for an export: its tables, column guesses from the "
                + "headers, the raw labels found with a guess each, and the shipped handoffs and workflows. "
                + "Redirect it to a file, check the lines marked '# check', then run validate.")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "DIR",
            description = "Directory of the export: one file or directory per table")
    Path input;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv or parquet (default: parquet when the export holds .parquet files, else csv)")
    String format;

    @Option(names = "--profile", paramLabel = "P",
            description = "A shipped source profile whose names are tried first: generic, fivetran_salesforce")
    String profile;

    @Override
    public Integer call() throws Exception {
        if (format != null && !format.equals("csv") && !format.equals("parquet")) {
            throw AuditException.config("--format", "'" + format + "' is not a format", "use csv or parquet");
        }
        FileFormat fileFormat = format == null ? ExportScan.detect(input) : FileFormat.valueOf(format.toUpperCase(Locale.ROOT));
        Optional<String> shippedProfile = Optional.ofNullable(profile).map(StarterConfig::checkProfile);
        try (SparkOptions.Session session = SparkOptions.smallLocalSession("handshake-audit init")) {
            SparkSession spark = session.spark();
            ExportScan scan = new ExportScan(spark, input.toAbsolutePath().normalize(), fileFormat);
            String text = StarterConfig.shipped().render(input.toAbsolutePath().normalize(), fileFormat,
                    shippedProfile, scan);
            System.out.print(StarterConfig.markTolerance(text, quarantining(spark, text)));
        }
        return 0;
    }

    /**
     * Each table's quarantined rows when the export is read through the starter configuration, as
     * validate would read it; none when that configuration does not load yet (validate says why).
     */
    private static List<StarterConfig.Quarantining> quarantining(SparkSession spark, String text) throws IOException {
        Path file = Files.createTempFile("handshake-init", ".yaml");
        try {
            Files.writeString(file, text);
            AuditConfig config = ConfigLoader.load(file);
            InputLoader.Loaded loaded = InputLoader.load(new LocalFileSource(spark, config.source()), config.source(),
                    Steps.quiet());
            try {
                return loaded.counts().stream().filter(TableCount::present)
                        .map(c -> new StarterConfig.Quarantining(c.table(), c.rowsQuarantined(), c.rowsRead())).toList();
            } finally {
                loaded.release();
            }
        } catch (AuditException notYet) {
            return List.of();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
