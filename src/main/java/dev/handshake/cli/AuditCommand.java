package dev.handshake.cli;

import dev.handshake.config.AuditConfig;
import dev.handshake.job.AuditJob;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Runs the audit for one as_of date and writes the audit tables.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "The night to audit: the run sees the world as at the end of this UTC day "
                    + "(default: yesterday, UTC)")
    LocalDate asOf;

    @Option(names = "--output", paramLabel = "DIR", description = "Output root; overrides output.root")
    Path output;

    @Override
    public Integer call() throws Exception {
        AuditConfig config = options.load();
        if (output != null) {
            config = config.withOutputRoot(output);
        }
        LocalDate night = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC).minusDays(1);
        try (SparkSession spark = SparkOptions.session("handshake-audit " + night, config)) {
            AuditJob.Outcome outcome = new AuditJob(spark, config).run(night);
            Report.printOutcome(System.out, night, outcome);
        }
        return 0;
    }

}
