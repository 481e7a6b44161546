package dev.handshake.cli;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.StarterConfig;
import dev.handshake.job.SparkSessions;
import dev.handshake.source.ExportScan;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
        try (SparkSession spark = SparkSessions.create("handshake-audit init", "local[2]", 2,
                Map.of("spark.ui.enabled", "false"))) {
            ExportScan scan = new ExportScan(spark, input.toAbsolutePath().normalize(), fileFormat);
            System.out.print(StarterConfig.shipped().render(input.toAbsolutePath().normalize(), fileFormat,
                    shippedProfile, scan));
        }
        return 0;
    }
}
