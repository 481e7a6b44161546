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
import dev.handshake.config.ConfigLoader;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures a person can fix are one sentence with the path or host, the fix and an exit code. */
class ExpectedFailuresTest {
    private static final String OUT = "file:/data/audit";

    @TempDir
    Path dir;

    private static AuditException explained(Throwable t) {
        return Failures.explain(t, OUT).orElseThrow(() -> new AssertionError("not recognised: " + t));
    }

    @Test
    void aFullDiskIsExitTwoNamingWhereItWroteAndTheFix() {
        // As Spark reports it: the task's error, wrapped in the job's.
        AuditException e = explained(new RuntimeException("[TASK_WRITE_FAILED] Task failed while writing rows to "
                + "file:/data/audit/_staging/as_of=2026-03-31/r1/audit_funnel.",
                new IOException("No space left on device")));
        assertEquals(2, e.code().exitCode());
        assertTrue(e.getMessage().startsWith("no space left on the disk while writing "
                + "file:/data/audit/_staging/as_of=2026-03-31/r1/audit_funnel. Fix: free space"), e.getMessage());
    }

    @Test
    void aPermissionIsExitTwoNamingThePath() {
        AuditException nio = explained(new RuntimeException(new AccessDeniedException("/data/audit/_locks")));
        assertEquals(2, nio.code().exitCode());
        assertTrue(nio.getMessage().startsWith("permission denied on /data/audit/_locks: the user running the audit"),
                nio.getMessage());
        AuditException hadoop = explained(new FileNotFoundException("/data/audit/audit_run/x (Permission denied)"));
        assertTrue(hadoop.getMessage().startsWith("permission denied on /data/audit/audit_run/x:"), hadoop.getMessage());
    }

    @Test
    void anUnreachableWarehouseIsExitTwoNamingTheHostWithoutCredentials() {
        AuditException host = explained(new IllegalStateException("cannot read leads",
                new SQLException("could not connect", "08001", new UnknownHostException("db.internal"))));
        assertEquals(2, host.code().exitCode());
        assertTrue(host.getMessage().startsWith("cannot reach the warehouse: the host db.internal is unknown. Fix:"),
                host.getMessage());
        AuditException refused = explained(new SQLException(
                "Connection to jdbc:postgresql://svc:S3cret@db.internal:5432/crm refused", "08001",
                new ConnectException("Connection refused")));
        assertFalse(refused.getMessage().contains("S3cret"), refused.getMessage());
    }

    @Test
    void aDefectIsNotExplainedAway() {
        assertEquals(Optional.empty(), Failures.explain(new IllegalStateException("revenue bridge does not tie out"), OUT));
        assertEquals(Optional.empty(), Failures.explain(new NullPointerException(), OUT));
    }

    @Test
    void aTruncatedParquetInputIsExitThreeNamingTheFileWithAFailedRowAndItsStagingKept() throws Exception {
        SparkSession spark = SharedSpark.get();
        new Fixture()
                .row(USERS, "user_id", "U1", "role", "SDR")
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z", "segment", "SMB")
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-03-01T00:00:00Z")
                .writeParquet(spark, dir.resolve("in"));
        Path leadFile;
        try (Stream<Path> files = Files.list(dir.resolve("in/leads"))) {
            leadFile = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(leadFile);
        Files.write(leadFile, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // cut off mid-file
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out") + "\n");

        AuditException e = assertThrows(AuditException.class,
                () -> new AuditJob(spark, ConfigLoader.load(yaml)).run(LocalDate.parse("2026-03-31")));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
        assertTrue(e.getMessage().contains(leadFile.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a complete Parquet file"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());
        Row run = spark.read().parquet(dir.resolve("out/audit_run").toString()).first();
        assertEquals("FAILED", run.getAs("status"));
        assertTrue(run.<String>getAs("error_message").startsWith("cannot read "), run.<String>getAs("error_message"));
        assertFalse(Files.exists(dir.resolve("out/_staging/as_of=2026-03-31")) && Files.list(
                dir.resolve("out/_staging/as_of=2026-03-31")).findAny().isPresent(), "nothing left in _staging");
    }
}
