package dev.handshake.job;

import static dev.handshake.source.CanonicalTable.CAMPAIGNS;
import static dev.handshake.source.CanonicalTable.LEADS;
import static dev.handshake.source.CanonicalTable.USERS;
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
    void aRunWritesItsTablesUnderAsOfAndRecordsItself() {
        AuditJob.Outcome outcome = new AuditJob(spark, config).run(AS_OF);
        assertTrue(Files.isDirectory(dir.resolve("out/audit_funnel/as_of=2026-03-31")));
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
    }

    @Test
    void aRerunReplacesTheSameAsOfWithIdenticalRows() {
        AuditJob.Outcome first = new AuditJob(spark, config).run(AS_OF);
        List<Row> before = withoutRunId("audit_funnel");
        AuditJob.Outcome second = new AuditJob(spark, config).run(AS_OF);
        assertNotEquals(first.runId(), second.runId());
        assertEquals(before, withoutRunId("audit_funnel"));
        assertEquals(1, table("audit_funnel").select("run_id").distinct().count(), "one run per as_of");
        assertEquals(second.runId(), table("audit_funnel").first().getAs("run_id"));
        assertEquals(2, table("audit_run").count(), "the run history keeps both runs");
    }

    @Test
    void aRunKilledWhileWritingLeavesThePreviousResultAndIsDiscardedNextTime() throws Exception {
        AuditJob.Outcome complete = new AuditJob(spark, config).run(AS_OF);
        List<Row> before = withoutRunId("audit_funnel");

        // A second run stages a different table and dies before its commit.
        OutputStore killed = new OutputStore(spark, dir.resolve("out").toString(), "killed", AS_OF);
        killed.stage("audit_funnel", table("audit_funnel").drop("run_id", "as_of").limit(1), true);
        assertEquals(before, withoutRunId("audit_funnel"), "readers still see the complete result");
        assertEquals(complete.runId(), table("audit_funnel").first().getAs("run_id"));

        new OutputStore(spark, dir.resolve("out").toString(), "next", AS_OF).recover();
        assertTrue(Files.notExists(dir.resolve("out/_staging/as_of=2026-03-31/killed")));
        assertEquals(before, withoutRunId("audit_funnel"));
    }

    @Test
    void aRunKilledDuringTheSwapIsRolledForwardFromItsJournal() throws Exception {
        new AuditJob(spark, config).run(AS_OF);
        OutputStore interrupted = new OutputStore(spark, dir.resolve("out").toString(), "swapping", AS_OF);
        interrupted.stage("audit_funnel", table("audit_funnel").drop("run_id", "as_of").limit(3), true);
        interrupted.stage("audit_quarantine", table("audit_quarantine").drop("run_id", "as_of"), false);
        // Simulate the crash: the journal is written, then the process dies before any rename.
        Path journal = dir.resolve("out/_staging/as_of=2026-03-31/swapping/_COMMIT.json");
        Files.writeString(journal, "[\"audit_funnel\",\"audit_quarantine\"]");

        new OutputStore(spark, dir.resolve("out").toString(), "next", AS_OF).recover();
        assertEquals(3, table("audit_funnel").count());
        assertEquals("swapping", table("audit_funnel").first().getAs("run_id"));
        assertTrue(Files.notExists(dir.resolve("out/_staging/as_of=2026-03-31/swapping")));
    }

    @Test
    void tooManyBadRowsStopTheRunKeepThePreviousResultAndRecordTheFailure() throws Exception {
        AuditJob.Outcome complete = new AuditJob(spark, config).run(AS_OF);
        Path yaml = dir.resolve("strict.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: "
                + dir.resolve("out") + "\ncontract:\n  max_quarantined_pct: 10\n");
        AuditException e = assertThrows(AuditException.class,
                () -> new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertTrue(e.getMessage().contains("leads: 1 of 5 rows (20.00%)"), e.getMessage());
        assertEquals(complete.runId(), table("audit_funnel").first().getAs("run_id"));
        assertEquals(1, table("audit_run").filter("status = 'FAILED'").count());
        assertTrue(table("audit_run").filter("status = 'FAILED'").first().<String>getAs("error_message")
                .contains("max_quarantined_pct"));
    }
}
