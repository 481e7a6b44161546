package dev.handshake.cli;

import dev.handshake.Steps;
import dev.handshake.config.AuditConfig;
import dev.handshake.source.InputFindings;
import dev.handshake.source.InputLoader;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.job.AuditJob;
import dev.handshake.job.Endpoints;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.FigureNeeds;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks the configuration and puts every input table through the contract; "
                + "writes nothing.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "Also state what the inputs cover for this night, as its audit will: cohort leads, "
                    + "the stages with direct evidence, won deals with an amount, currency, FX rate and lead")
    LocalDate asOf;

    @Override
    public Integer call() throws Exception {
        AuditConfig config = options.load();
        System.out.println("configuration OK: " + options.config);
        try (SparkOptions.Session session = SparkOptions.session("handshake-audit validate", config)) {
            SparkSession spark = session.spark();
            InputLoader.Loaded loaded = InputLoader.load(Endpoints.source(spark, config, Optional.empty(),
                    "handshake-audit validate", SecretSource.system()), config.source(), new Steps());
            try {
                Report.printCounts(System.out, loaded.counts());
                // Before any run: what the audit will report as not measured, and why (docs/coverage.md).
                Set<CanonicalTable> given = loaded.counts().stream().filter(c -> c.present() && c.rowsAccepted() > 0)
                        .map(c -> CanonicalTable.byName(c.table()).orElseThrow()).collect(Collectors.toSet());
                List<String> unmeasurable = FigureNeeds.notMeasurable(given);
                System.out.println(unmeasurable.isEmpty() ? "figures: every figure has the tables it needs"
                        : "figures these tables cannot measure (the audit reports them as not measured):");
                unmeasurable.forEach(l -> System.out.println("  " + l));
                // Everything a person fixing the export needs, in one pass: one row per problem or label.
                List<String> problems = InputFindings.lines(InputFindings.problems(loaded.quarantine()).collectAsList());
                List<String> labels = InputFindings.unmappedLabels(loaded.inputs(), loaded.columnsGiven(),
                        InputFindings.labelColumns(config)).report();
                System.out.println(problems.isEmpty() ? "rows breaking the contract: none"
                        : "rows breaking the contract (by table and problem, up to " + InputFindings.EXAMPLES
                                + " example values):");
                problems.forEach(l -> System.out.println("  " + l));
                labels.forEach(System.out::println);
                if (asOf != null) {
                    System.out.println("coverage of the night " + asOf + " (as its audit will state it):");
                    new AuditJob(spark, config).coverage(asOf, loaded).lines()
                            .forEach(l -> System.out.println("  " + l));
                }
                InputLoader.checkTolerance(loaded.counts(), config.maxQuarantinedPct());
            } finally {
                loaded.release();
            }
        }
        System.out.println("inputs OK");
        return 0;
    }
}
