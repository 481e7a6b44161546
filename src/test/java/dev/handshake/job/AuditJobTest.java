package dev.handshake.job;

import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.sink.OutputStore;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run on a small Parquet source: outputs, run history, reruns and interrupted writes. */
class AuditJobTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.get();
    private AuditConfig config;

    @BeforeEach
    void writeInputs() throws Exception {
        new Fixture()
                .row(USERS, "user_id", "U1", "role", "SDR")
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z", "segment", "SMB",
                        "campaign_id", "C1", "mql_at", "2026-01-05T12:00:00Z")
                .row(LEADS, "lead_id", "L2", "created_at", "2026-02-05T10:00:00Z", "segment", "MM")
                .row(LEADS, "lead_id", "L3", "created_at", "2026-02-06T10:00:00Z", "segment", "MM")
                .row(LEADS, "lead_id", "L4", "created_at", "2026-02-07T10:00:00Z", "segment", "MM")
                .row(LEADS, "created_at", "2026-02-07T10:00:00Z", "segment", "MM") // no lead_id
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-03-01T00:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", "2026-03-20", "amount", "1000.00", "currency_code", "USD")
                .writeParquet(spark, dir.resolve("in"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: "
                + dir.resolve("out") + "\ncontract:\n  max_quarantined_pct: 25\n");
        config = ConfigLoader.load(yaml);
    }

    private Dataset<Row> table(String name) {
        return spark.read().parquet(dir.resolve("out").resolve(name).toString());
    }

    private List<Row> withoutRunId(String name) {
        return table(name).drop("run_id").orderBy("cut_dimension", "cut_value", "cohort_month", "stage_order")
                .collectAsList();
    }

    @Test
    void aRunWritesItsTablesUnderAsOfRecordsItselfAndAReRunReplacesThemWithIdenticalRows() {
        AuditJob.Outcome outcome = new AuditJob(spark, config).run(AS_OF);
        assertTrue(Files.isDirectory(dir.resolve("out/audit_funnel/as_of=2026-03-31")));
        for (String table : List.of("audit_quarantine", "audit_reconciliation", "audit_revenue_bridge",
                "audit_metric_comparison", "audit_drift")) {
            assertTrue(Files.isDirectory(dir.resolve("out").resolve(table).resolve("as_of=2026-03-31")), table);
        }
        // This configuration names no handoff: the run says so instead of writing empty tables.
        assertTrue(Files.notExists(dir.resolve("out/audit_handoff_map")));
        assertTrue(outcome.skipped().stream().anyMatch(f -> f.figure().equals("handoff tables")));
        Row all = table("audit_funnel").filter("cut_dimension = 'all' AND cohort_month = '*' AND stage = 'CAPTURED'").first();
        assertEquals(4L, (long) all.getAs("entered"));
        assertEquals(outcome.runId(), all.getAs("run_id"));
        assertEquals(java.sql.Date.valueOf(AS_OF), all.getAs("as_of"));

        Row q = table("audit_quarantine").first();
        assertEquals("missing required value: lead_id", q.getAs("reason"));

        Row run = table("audit_run").first();
        assertEquals("SUCCEEDED", run.getAs("status"));
        assertEquals(outcome.runId(), run.getAs("run_id"));
        Row leads = run.<Row>getList(run.fieldIndex("inputs")).stream()
                .filter(r -> r.getAs("table").equals("leads")).findFirst().orElseThrow();
        assertEquals(5L, (long) leads.getAs("rows_read"));
        assertEquals(4L, (long) leads.getAs("rows_accepted"));
        assertEquals(1L, (long) leads.getAs("rows_quarantined"));
        // Every step's work is at least one Spark job, and the run has dozens of steps.
        assertTrue(run.<Long>getAs("spark_jobs") >= run.getList(run.fieldIndex("steps")).size(),
                "spark_jobs " + run.getAs("spark_jobs") + " for " + run.getList(run.fieldIndex("steps")).size() + " steps");

        List<Row> before = withoutRunId("audit_funnel");
        AuditJob.Outcome second = new AuditJob(spark, config).run(AS_OF);
        assertNotEquals(outcome.runId(), second.runId());
        assertEquals(before, withoutRunId("audit_funnel"));
        assertEquals(1, table("audit_funnel").select("run_id").distinct().count(), "one run per as_of");
        assertEquals(second.runId(), table("audit_funnel").first().getAs("run_id"));
        assertEquals(2, table("audit_run").count(), "the run history keeps both runs");
    }

    /** A complete committed result for AS_OF without a full run: two small tables. */
    private String commitPrevious() {
        OutputStore store = new OutputStore(spark, dir.resolve("out").toString(), "previous", AS_OF);
        store.stage("audit_funnel", spark.range(5).toDF("n"), true);
        store.stage("audit_quarantine", spark.range(2).toDF("n"), false);
        store.commit();
        return "previous";
    }

    private List<Row> rows(String name) {
        return table(name).drop("run_id").orderBy("n").collectAsList();
    }

    @Test
    void aRunKilledWhileWritingLeavesThePreviousResultAndIsDiscardedNextTime() throws Exception {
        String complete = commitPrevious();
        List<Row> before = rows("audit_funnel");

        // A second run stages a different table and dies before its commit.
        OutputStore killed = new OutputStore(spark, dir.resolve("out").toString(), "killed", AS_OF);
        killed.stage("audit_funnel", spark.range(1).toDF("n"), true);
        assertEquals(before, rows("audit_funnel"), "readers still see the complete result");
        assertEquals(complete, table("audit_funnel").first().getAs("run_id"));

        new OutputStore(spark, dir.resolve("out").toString(), "next", AS_OF).recover();
        assertTrue(Files.notExists(dir.resolve("out/_staging/as_of=2026-03-31/killed")));
        assertEquals(before, rows("audit_funnel"));
    }

    @Test
    void aRunKilledDuringTheSwapIsRolledForwardFromItsJournal() throws Exception {
        commitPrevious();
        OutputStore interrupted = new OutputStore(spark, dir.resolve("out").toString(), "swapping", AS_OF);
        interrupted.stage("audit_funnel", spark.range(3).toDF("n"), true);
        interrupted.stage("audit_quarantine", spark.range(7).toDF("n"), false);
        // Simulate the crash: the journal is written, then the process dies before any rename.
        Path journal = dir.resolve("out/_staging/as_of=2026-03-31/swapping/_COMMIT.json");
        Files.writeString(journal, "[\"audit_funnel\",\"audit_quarantine\"]");

        new OutputStore(spark, dir.resolve("out").toString(), "next", AS_OF).recover();
        assertEquals(3, table("audit_funnel").count());
        assertEquals(7, table("audit_quarantine").count());
        assertEquals("swapping", table("audit_funnel").first().getAs("run_id"));
        assertTrue(Files.notExists(dir.resolve("out/_staging/as_of=2026-03-31/swapping")));
    }

    @Test
    void tooManyBadRowsStopTheRunKeepThePreviousResultAndRecordTheFailure() throws Exception {
        String complete = commitPrevious();
        Path yaml = dir.resolve("strict.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: "
                + dir.resolve("out") + "\ncontract:\n  max_quarantined_pct: 10\n"
                + "role_mapping:\n  AE: [\"Account Executive\"]\n");
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AuditJob.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        // Only this thread's lines: other test classes run beside this one in the JVM.
        String thread = Thread.currentThread().getName();
        lines.addFilter(new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ch.qos.logback.classic.spi.ILoggingEvent event) {
                return thread.equals(event.getThreadName()) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                        : ch.qos.logback.core.spi.FilterReply.DENY;
            }
        });
        lines.start();
        log.addAppender(lines);
        AuditException e;
        try {
            e = assertThrows(AuditException.class, () -> new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF));
        } finally {
            log.detachAppender(lines);
        }
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertTrue(e.getMessage().contains("leads: 1 of 5 rows (20.00%)"), e.getMessage());
        // Every problem is logged before the one-sentence error: here the one lead without an id.
        assertEquals(List.of("input problem: leads: missing required value: lead_id: 1 row(s)"),
                lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.startsWith("input problem:")).toList());
        // And the labels no mapping knows: U1's role SDR, with only AE mapped.
        assertTrue(lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                        .anyMatch(m -> m.equals("input labels: users: unmapped label in role: add it to role_mapping:"
                                + " 1 row(s), e.g. 'SDR'")),
                lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList().toString());
        assertEquals(complete, table("audit_funnel").first().getAs("run_id"));
        assertEquals(5, table("audit_funnel").count());
        assertEquals(1, table("audit_run").filter("status = 'FAILED'").count());
        assertTrue(table("audit_run").filter("status = 'FAILED'").first().<String>getAs("error_message")
                .contains("max_quarantined_pct"));
    }

    @Test
    void consecutiveNightsReportDriftAgainstThePreviousSuccessfulRun() {
        // 03-24: O1 won on 03-20 has no booking and is inside its 5-day lag: LAGGING.
        AuditJob.Outcome first = new AuditJob(spark, config).run(LocalDate.parse("2026-03-24"));
        Row firstDrift = table("audit_drift").filter("metric = 'crm_bookings' AND period = '2026-03' AND segment = '*'")
                .first();
        assertEquals("first run: no previous successful run to compare with", firstDrift.getAs("note"));

        // The booking lands; 03-25: O1 is MATCHED, finance bookings for March grow by 1000.
        new Fixture().row(BOOKINGS, "booking_id", "B1", "opportunity_id", "O1", "booking_date", "2026-03-24",
                "amount", "1000.00", "currency_code", "USD").writeDeclared(spark, dir.resolve("in"));
        new AuditJob(spark, config).run(LocalDate.parse("2026-03-25"));
        Dataset<Row> drift = table("audit_drift").filter("as_of = DATE'2026-03-25'");
        Row moved = drift.filter("metric = 'reconciliation_rows_changed_category'").first();
        assertEquals(new java.math.BigDecimal("1.000000"), moved.getAs("current_value"));
        assertEquals(first.runId(), moved.getAs("previous_run_id"));
        Row finance = drift.filter("metric = 'finance_bookings' AND period = '2026-03' AND segment = '*'").first();
        assertEquals(new java.math.BigDecimal("1000.000000"), finance.getAs("current_value"));
        assertEquals("new since the previous run", finance.getAs("note"));
    }
}
