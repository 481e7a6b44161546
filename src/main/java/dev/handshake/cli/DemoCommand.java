package dev.handshake.cli;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.job.Nights;
import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "End to end on sample data: generates it into source.root if it is not there, "
                + "then audits the night the sample was made for and the night before it.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "conf/local.yaml", paramLabel = "FILE",
            description = "Configuration (default: ${DEFAULT-VALUE})")
    Path config;

    @picocli.CommandLine.Mixin
    SampleOptions sample = new SampleOptions();

    @Override
    public Integer call() throws Exception {
        AuditConfig cfg = ConfigLoader.load(config);
        Path data = cfg.source().root();
        try (SparkOptions.Session session = SparkOptions.session("handshake-audit demo", cfg)) {
            SparkSession spark = session.spark();
            Manifest manifest;
            if (Files.exists(data.resolve("manifest.json"))) {
                manifest = Manifest.read(data.resolve("manifest.json"));
                System.out.println("using the sample data already in " + data);
            } else {
                manifest = SampleGenerator.generate(spark,
                        new SampleSpec(data, sample.leads, sample.seed, SampleSpec.DEFAULT_AS_OF));
                System.out.println("generated " + sample.leads + " sample leads into " + data);
            }
            // Two nights, so night-over-night figures (drift) compare something on the first demo.
            Nights nights = new Nights(spark, cfg, new Nights.Options(false, false));
            LocalDate asOf = manifest.asOfDate();
            AuditJob.Outcome before = nights.run(asOf.minusDays(1));
            System.out.println("audited the night before, as_of=" + asOf.minusDays(1) + ": run " + before.runId());
            AuditJob.Outcome outcome = nights.run(asOf);
            Report.printOutcome(System.out, asOf, outcome, cfg);
        }
        Leftovers.removeEmpty(cfg.outputRoot());
        return 0;
    }
}
