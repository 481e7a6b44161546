package dev.handshake.cli;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig;
import dev.handshake.job.AuditJob;
import dev.handshake.job.BandAlert;
import dev.handshake.job.BreakAlert;
import dev.handshake.job.Nights;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Runs the audit for one as_of date, or a range of dates (backfill), and writes the audit tables.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    When when;

    /** One night, or a range: never both. */
    static final class When {
        @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
                description = "The night to audit: the run sees the world as at the end of this UTC day "
                        + "(default: yesterday, UTC)")
        LocalDate asOf;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD",
                description = "Backfill: first night (with --to); nights already SUCCEEDED are skipped")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Backfill: last night")
        LocalDate to;
    }

    @Option(names = "--output", paramLabel = "DIR", description = "Output root; overrides output.root")
    Path output;

    @Option(names = "--force", description = "Backfill: rerun nights that already SUCCEEDED")
    boolean force;

    @Option(names = "--break-stale-lock",
            description = "Take over a run lock older than output.lock_stale_after_minutes (a run that died)")
    boolean breakStaleLock;

    @Option(names = "--force-range",
            description = "Backfill: run a range longer than output.max_backfill_nights (default 92)")
    boolean forceRange;

    @Option(names = "--fail-on-band", paramLabel = "BAND",
            description = "Exit 4 when any workflow's benchmark band is BAND or worse (${COMPLETION-CANDIDATES}), "
                    + "acknowledged breaks counted as matched")
    BandAlert.Band failOnBand;

    @Option(names = "--fail-on-new-breaks", paramLabel = "AMOUNT",
            description = "Exit 4 when tonight's new breaks (break ledger status NEW or REOPENED, not acknowledged) "
                    + "are about more than AMOUNT in reporting currency")
    BigDecimal failOnNewBreaks;

    @Option(names = "--strict",
            description = "Exit 3 (after writing) when the inputs may not reach the night: an empty lead cohort, "
                    + "or no lead event in the days before --as-of")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        if (failOnNewBreaks != null && failOnNewBreaks.signum() < 0) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, "--fail-on-new-breaks " + failOnNewBreaks
                    + " is negative. Fix: give an amount of 0 or more in reporting currency");
        }
        Range range = when == null ? null : when.range;
        if (range != null && range.from.isAfter(range.to)) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, "--from " + range.from
                    + " is after --to " + range.to + ". Fix: give the earlier date as --from");
        }
        AuditConfig config = options.load();
        if (output != null) {
            config = config.withOutputRoot(output);
        }
        LocalDate night = when != null && when.asOf != null ? when.asOf : LocalDate.now(ZoneOffset.UTC).minusDays(1);
        if (when == null) {
            System.err.println("no --as-of given: auditing yesterday, " + night + " (UTC)");
        }
        AuditConfig cfg = config;
        String app = "handshake-audit " + (range == null ? night : range.from + ".." + range.to);
        List<String> alerts = new ArrayList<>();
        String currency = config.reportingCurrency();
        List<String> uncovered = new ArrayList<>();
        try (SparkOptions.Session session = SparkOptions.session(app, config)) {
            SparkSession spark = session.spark();
            Nights nights = new Nights(spark, config, new Nights.Options(force, breakStaleLock, forceRange));
            if (range == null) {
                AuditJob.Outcome outcome = nights.run(night);
                Report.printOutcome(System.out, night, outcome, config);
                alerts.addAll(alerts(outcome, currency));
                uncovered.addAll(Report.coverageWarnings(outcome));
            } else {
                nights.range(range.from, range.to, n -> {
                    if (n.skipped()) {
                        System.out.println("as_of=" + n.asOf() + " skipped: already SUCCEEDED in run "
                                + n.skippedFor().orElseThrow() + " (--force reruns it)");
                    } else {
                        Report.printOutcome(System.out, n.asOf(), n.outcome().orElseThrow(), cfg);
                        alerts.addAll(alerts(n.outcome().orElseThrow(), currency).stream()
                                .map(a -> "as_of=" + n.asOf() + " " + a).toList());
                        uncovered.addAll(Report.coverageWarnings(n.outcome().orElseThrow()).stream()
                                .map(w -> "as_of=" + n.asOf() + ": " + w).toList());
                    }
                });
            }
        }
        Leftovers.removeEmpty(config.outputRoot());
        if (strict && !uncovered.isEmpty()) {
            uncovered.forEach(w -> System.err.println("error: " + w + " (--strict)"));
            return AuditException.Code.INPUT_CONTRACT.exitCode();
        }
        if (!alerts.isEmpty()) {
            alerts.forEach(a -> System.err.println("alert: " + a));
            return AuditException.Code.BAND_ALERT.exitCode();
        }
        return 0;
    }

    private List<String> alerts(AuditJob.Outcome outcome, String currency) {
        List<String> out = new ArrayList<>();
        if (failOnBand != null) {
            // Acknowledged breaks taken as matched: an alert is about what nobody has looked at yet.
            out.addAll(BandAlert.alerts(outcome.bandAlertWorkflows(), failOnBand));
        }
        if (failOnNewBreaks != null) {
            out.addAll(BreakAlert.alerts(outcome.newBreaks(), failOnNewBreaks, currency));
        }
        return out;
    }
}
