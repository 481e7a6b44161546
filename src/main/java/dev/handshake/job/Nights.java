package dev.handshake.job;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig;
import dev.handshake.sink.RunHistory;
import dev.handshake.sink.RunLock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs audit nights the way a scheduler needs them: each under the run lock of its output root
 * and {@code as_of}, and a range of nights (a backfill) in date order in one SparkSession,
 * skipping nights that already succeeded unless forced. The first failure stops the range; the
 * nights before it are done, so a rerun of the same range resumes at the failed night.
 */
public final class Nights {
    private static final Logger LOG = LoggerFactory.getLogger(Nights.class);

    /**
     * @param force          rerun nights that already succeeded
     * @param breakStaleLock take over a lock older than {@code output.lock_stale_after_minutes}
     * @param forceRange     run a range longer than {@code output.max_backfill_nights}
     */
    public record Options(boolean force, boolean breakStaleLock, boolean forceRange) {
        public Options(boolean force, boolean breakStaleLock) {
            this(force, breakStaleLock, false);
        }
    }

    /** Successful runs the estimate of a backfill's duration is the mean of. */
    private static final int ESTIMATE_RUNS = 10;

    /** One night of a range: its outcome, or the successful run it was skipped for. */
    public record Night(LocalDate asOf, Optional<AuditJob.Outcome> outcome, Optional<String> skippedFor) {
        public boolean skipped() {
            return skippedFor.isPresent();
        }
    }

    /** Runs one night under a given run id; the audit itself, or a stand-in in tests. */
    interface Runner {
        AuditJob.Outcome run(LocalDate asOf, String runId);
    }

    private final SparkSession spark;
    private final AuditConfig config;
    private final Options options;
    private final Runner runner;

    public Nights(SparkSession spark, AuditConfig config, Options options) {
        this(spark, config, options, (asOf, runId) -> new AuditJob(spark, config).run(asOf, runId));
    }

    Nights(SparkSession spark, AuditConfig config, Options options, Runner runner) {
        this.spark = requireNonNull(spark, "spark is null");
        this.config = requireNonNull(config, "config is null");
        this.options = requireNonNull(options, "options is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    /** One night, always run (a single night is an explicit request, so it never skips). */
    public AuditJob.Outcome run(LocalDate asOf) {
        return locked(asOf, false).outcome().orElseThrow();
    }

    /**
     * Nights {@code from} to {@code to} inclusive, in order; each finished night is handed to
     * {@code done} before the next starts.
     */
    public List<Night> range(LocalDate from, LocalDate to, Consumer<Night> done) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        long count = ChronoUnit.DAYS.between(from, to) + 1;
        if (count > config.maxBackfillNights() && !options.forceRange()) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, "--from " + from + " --to " + to + " is "
                    + count + " nights, more than output.max_backfill_nights (" + config.maxBackfillNights()
                    + "). Fix: split the range, or rerun with --force-range to run all of them");
        }
        LOG.info("backfill {}..{}: {} night(s){}; {}", from, to, count, options.force() ? ""
                : " (nights already SUCCEEDED are skipped)", estimate(count));
        List<Night> nights = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Night night = locked(d, !options.force());
            done.accept(night);
            nights.add(night);
        }
        return nights;
    }

    /** How long {@code count} nights take at the pace of the last successful runs, if there were any. */
    private String estimate(long count) {
        return RunHistory.recentSeconds(spark, config.outputRoot().toString(), ESTIMATE_RUNS)
                .map(m -> String.format(Locale.ROOT, "about %.1f h at %.0f s a night (mean of the last %d "
                        + "successful run(s))", count * m[0] / 3600, m[0], (long) m[1]))
                .orElse("no earlier successful run under the output root to estimate the duration from");
    }

    private Night locked(LocalDate asOf, boolean skipIfSucceeded) {
        String runId = AuditJob.newRunId(Instant.now());
        // The success check is made under the lock, so two backfills never both run a night.
        try (RunLock lock = RunLock.acquire(spark, config.outputRoot().toString(), asOf,
                RunLock.Owner.of(runId, Instant.now()), config.lockStaleAfter(), options.breakStaleLock())) {
            if (skipIfSucceeded) {
                Optional<String> done = RunHistory.succeeded(spark, config.outputRoot().toString(), asOf);
                if (done.isPresent()) {
                    LOG.info("as_of={} already SUCCEEDED in run {}: skipped (--force reruns it)", asOf, done.get());
                    return new Night(asOf, Optional.empty(), done);
                }
            }
            return new Night(asOf, Optional.of(runner.run(asOf, lock.owner().runId())), Optional.empty());
        }
    }
}
