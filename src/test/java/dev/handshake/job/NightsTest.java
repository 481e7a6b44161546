package dev.handshake.job;

import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.sink.OutputStore;
import dev.handshake.sink.RunRecord;
import dev.handshake.sink.RunLock;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills (skip, resume, force) with a stand-in audit, and the run lock and a failed run with
 * the real one, on the small source of AuditJobTest.
 */
class NightsTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-29");
    private static final LocalDate D2 = LocalDate.parse("2026-03-30");
    private static final LocalDate D3 = LocalDate.parse("2026-03-31");
    private static final Nights.Options PLAIN = new Nights.Options(false, false);

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.get();
    private AuditConfig lenient;
    private AuditConfig strict;

    @BeforeEach
    void writeInputs() throws Exception {
        // One of five leads has no lead_id: 20 % of leads is quarantined.
        new Fixture()
                .row(USERS, "user_id", "U1", "role", "SDR")
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z", "segment", "SMB", "campaign_id", "C1")
                .row(LEADS, "lead_id", "L2", "created_at", "2026-02-05T10:00:00Z", "segment", "MM")
                .row(LEADS, "lead_id", "L3", "created_at", "2026-02-06T10:00:00Z", "segment", "MM")
                .row(LEADS, "lead_id", "L4", "created_at", "2026-02-07T10:00:00Z", "segment", "MM")
                .row(LEADS, "created_at", "2026-02-07T10:00:00Z", "segment", "MM")
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-03-01T00:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", "2026-03-20", "amount", "1000.00", "currency_code", "USD")
                .writeParquet(spark, dir.resolve("in"));
        lenient = config("lenient.yaml", 25);
        // The injected failure: a tolerance the 20 % quarantine breaks (exit 3 from the night that meets it).
        strict = config("strict.yaml", 10);
    }

    private AuditConfig config(String name, int maxQuarantinedPct) throws Exception {
        Path yaml = dir.resolve(name);
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\n  lock_stale_after_minutes: 60\ncontract:\n  max_quarantined_pct: " + maxQuarantinedPct + "\n");
        return ConfigLoader.load(yaml);
    }

    private Dataset<Row> runs() {
        return spark.read().parquet(dir.resolve("out/audit_run").toString());
    }

    private List<String> statuses(LocalDate asOf) {
        return runs().filter("as_of = DATE'" + asOf + "'").orderBy("started_at").select("status").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    private String funnelRunId(LocalDate asOf) {
        return spark.read().parquet(dir.resolve("out/audit_funnel/as_of=" + asOf).toString()).first().getAs("run_id");
    }

    private static List<String> describe(List<Nights.Night> nights) {
        return nights.stream().map(n -> n.asOf() + (n.skipped() ? " skipped" : " ran")).toList();
    }

    private Path lockFile(LocalDate asOf) {
        return dir.resolve("out/_locks/as_of=" + asOf);
    }

    /**
     * Stands in for the audit (a real one takes tens of seconds per night here): checks it runs
     * under its own lock, then records the night in audit_run as the job does.
     */
    private final class FakeAudit implements Nights.Runner {
        final Set<LocalDate> failing = new HashSet<>();
        final List<String> ran = new ArrayList<>();

        @Override
        public AuditJob.Outcome run(LocalDate asOf, String runId) {
            try {
                assertTrue(Files.readString(lockFile(asOf)).contains(runId), "runs under its own lock");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ran.add(asOf.toString());
            boolean fail = failing.contains(asOf);
            new OutputStore(spark, dir.resolve("out").toString(), runId, asOf).appendRun(new RunRecord(runId,
                    Instant.now(), Instant.now(), fail ? RunRecord.FAILED : RunRecord.SUCCEEDED, "hash", "dev",
                    List.of(), List.of(), List.of(), fail ? AuditException.class.getName() : null,
                    fail ? "injected" : null).toDataset(spark));
            if (fail) {
                throw new AuditException(AuditException.Code.INPUT_CONTRACT, "injected failure");
            }
            return new AuditJob.Outcome(runId, dir.resolve("out").toString(), List.of(), List.of(), 0, 0, List.of());
        }
    }

    @Test
    void aBackfillRunsNightsInOrderStopsAtAFailureResumesThereAndForceRerunsSucceededNights() {
        FakeAudit audit = new FakeAudit();
        audit.failing.add(D2);
        List<Nights.Night> seen = new ArrayList<>();
        AuditException e = assertThrows(AuditException.class,
                () -> new Nights(spark, lenient, PLAIN, audit).range(D1, D3, seen::add));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertEquals(List.of("2026-03-29", "2026-03-30"), audit.ran, "D3 is never attempted");
        assertEquals(List.of("2026-03-29 ran"), describe(seen));
        assertEquals(List.of("FAILED"), statuses(D2));
        assertTrue(Files.notExists(lockFile(D2)), "a failed night releases its lock");

        // The rerun resumes at the failed night: D1 succeeded and is skipped.
        audit.failing.clear();
        audit.ran.clear();
        List<Nights.Night> resumed = new Nights(spark, lenient, PLAIN, audit).range(D1, D3, n -> { });
        assertEquals(List.of("2026-03-29 skipped", "2026-03-30 ran", "2026-03-31 ran"), describe(resumed));
        assertEquals(List.of("2026-03-30", "2026-03-31"), audit.ran);
        assertEquals(runs().filter("as_of = DATE'" + D1 + "' AND status = 'SUCCEEDED'").first().<String>getAs("run_id"),
                resumed.get(0).skippedFor().orElseThrow());
        assertEquals(List.of("FAILED", "SUCCEEDED"), statuses(D2));

        // --force reruns every night; nothing is skipped.
        audit.ran.clear();
        List<Nights.Night> forced = new Nights(spark, lenient, new Nights.Options(true, false), audit)
                .range(D1, D3, n -> { });
        assertEquals(List.of("2026-03-29 ran", "2026-03-30 ran", "2026-03-31 ran"), describe(forced));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), statuses(D1));
        for (LocalDate d : List.of(D1, D2, D3)) {
            assertTrue(Files.notExists(lockFile(d)), "lock released: " + d);
        }
    }

    @Test
    void aRangeLongerThanTheConfiguredMaximumNeedsForceRange() throws Exception {
        Path yaml = dir.resolve("short.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\n  max_backfill_nights: 2\n");
        AuditConfig twoNights = ConfigLoader.load(yaml);
        FakeAudit audit = new FakeAudit();
        // D1..D3 is 3 nights, one more than the maximum: refused before any night runs.
        AuditException e = assertThrows(AuditException.class,
                () -> new Nights(spark, twoNights, PLAIN, audit).range(D1, D3, n -> { }));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertEquals("--from 2026-03-29 --to 2026-03-31 is 3 nights, more than output.max_backfill_nights (2). "
                + "Fix: split the range, or rerun with --force-range to run all of them", e.getMessage());
        assertEquals(List.of(), audit.ran);
        assertEquals(List.of("2026-03-29 ran", "2026-03-30 ran"),
                describe(new Nights(spark, twoNights, PLAIN, audit).range(D1, D2, n -> { })));
        assertEquals(List.of("2026-03-29 skipped", "2026-03-30 skipped", "2026-03-31 ran"), describe(
                new Nights(spark, twoNights, new Nights.Options(false, false, true), audit).range(D1, D3, n -> { })));
        assertEquals(92, lenient.maxBackfillNights(), "the default");
    }

    private RunLock lockAs(String host, long pid, String runId, Instant started) {
        return RunLock.acquire(spark, dir.resolve("out").toString(), D3,
                new RunLock.Owner(host, pid, runId, started.toString()), Duration.ofMinutes(60), false);
    }

    @Test
    void aSecondRunForTheSameNightRefusesNamingTheLockOwnerAndWritesNothing() {
        Instant started = Instant.now().minusSeconds(90);
        try (RunLock held = lockAs("night-box-7", 4242, "20260401T023000Z-abcdef12", started)) {
            AuditException e = assertThrows(AuditException.class, () -> new Nights(spark, lenient, PLAIN).run(D3));
            assertEquals(AuditException.Code.LOCKED, e.code());
            assertEquals(5, e.code().exitCode());
            for (String part : List.of("night-box-7", "pid 4242", "20260401T023000Z-abcdef12", started.toString())) {
                assertTrue(e.getMessage().contains(part), e.getMessage());
            }
            // A fresh lock is never broken, even when asked.
            assertThrows(AuditException.class,
                    () -> new Nights(spark, lenient, new Nights.Options(false, true)).run(D3));
            assertTrue(Files.notExists(dir.resolve("out/audit_run")), "the refused runs wrote nothing");
            assertTrue(Files.exists(dir.resolve("out/_locks/as_of=" + D3)), "the holder keeps its lock");
        }
        assertTrue(Files.notExists(dir.resolve("out/_locks/as_of=" + D3)), "released at the end of the run");
    }

    @Test
    void aStaleLockIsBrokenOnlyWhenAskedAndTheRunThenSucceeds() {
        // A run that died 2 hours ago left its lock; the configured stale age is 60 minutes.
        RunLock dead = lockAs("gone-host", 1, "dead-run", Instant.now().minus(Duration.ofHours(2)));
        AuditException e = assertThrows(AuditException.class, () -> new Nights(spark, lenient, PLAIN).run(D3));
        assertEquals(AuditException.Code.LOCKED, e.code());
        assertTrue(e.getMessage().contains("--break-stale-lock"), e.getMessage());
        assertTrue(e.getMessage().contains("dead-run"), e.getMessage());

        AuditJob.Outcome outcome = new Nights(spark, lenient, new Nights.Options(false, true)).run(D3);
        assertEquals(List.of("SUCCEEDED"), statuses(D3));
        assertEquals(outcome.runId(), funnelRunId(D3));
        assertTrue(Files.notExists(lockFile(D3)));
        dead.close(); // the dead run's handle no longer owns the lock: nothing to remove, nothing thrown

        // A failed run (injected: a tolerance its inputs break) is recorded with its error and
        // leaves the night's previous results in place.
        AuditException failure = assertThrows(AuditException.class, () -> new Nights(spark, strict, PLAIN).run(D3));
        assertEquals(AuditException.Code.INPUT_CONTRACT, failure.code());
        assertEquals(List.of("SUCCEEDED", "FAILED"), statuses(D3));
        Row failed = runs().filter("as_of = DATE'" + D3 + "' AND status = 'FAILED'").first();
        assertEquals(AuditException.class.getName(), failed.getAs("error_class"));
        assertTrue(failed.<String>getAs("error_message").contains("max_quarantined_pct"), failed.toString());
        assertFalse(failed.getList(failed.fieldIndex("inputs")).isEmpty(), "input counts of the failed run");
        assertFalse(failed.getList(failed.fieldIndex("steps")).isEmpty(), "step durations of the failed run");
        assertEquals(outcome.runId(), funnelRunId(D3), "the previous result stays");
        assertTrue(Files.notExists(lockFile(D3)), "a failed run releases its lock");
    }
}
