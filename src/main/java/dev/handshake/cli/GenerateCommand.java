package dev.handshake.cli;

import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes deterministic sample input tables (Parquet, one directory per table) "
                + "and manifest.json, the ground truth of every planted failure.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced)")
    Path out;

    @picocli.CommandLine.Mixin
    SampleOptions sample = new SampleOptions();

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "The night the data is a snapshot for (default: 2026-06-30)")
    LocalDate asOf;

    @Override
    public Integer call() throws Exception {
        if (sample.leads < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--leads must be at least 1, got " + sample.leads);
        }
        try (SparkOptions.Session session = SparkOptions.localSession("handshake-audit generate")) {
            SparkSession spark = session.spark();
            Manifest manifest = SampleGenerator.generate(spark,
                    new SampleSpec(out, sample.leads, sample.seed, asOf == null ? SampleSpec.DEFAULT_AS_OF : asOf));
            System.out.println("sample data for as_of " + manifest.asOfDate() + " written to " + out
                    + " (manifest.json lists every planted failure)");
        }
        return 0;
    }
}
