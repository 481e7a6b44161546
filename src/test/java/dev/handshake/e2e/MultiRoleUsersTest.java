package dev.handshake.e2e;

import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A users table built from a deal export's SDR ids and sales rep ids (issue 25, item 6): U1 is an
 * SDR on one row and an Account Executive on another. as_of 2026-03-31; marketing_to_sales
 * received by SDRs.
 *
 * <pre>
 * users: U1 SDR, U1 Account Executive, U2 AE, U2 AE (an identical copy)
 * leads: L1 owner U1, L2 owner U2; both MQL 01-05 10:00, assigned 11:00, worked 12:00, SAL 01-06
 * </pre>
 * Keyed by (user_id, role), U1's two rows are two role assignments: none is quarantined (it was a
 * "conflicting duplicate", 2 of 4 rows). U2's identical copy is still one row too many: 1 row
 * quarantined, users read 4 = accepted 3 + quarantined 1. U1 holds SDR, so L1's owner is a receiving
 * owner (owner_named true); U2 holds only AE, so L2's is not. One user id has several roles: reported.
 */
class MultiRoleUsersTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    @TempDir
    static Path dir;
    private static Map<String, Boolean> ownerNamed;
    private static Row run;

    @BeforeAll
    static void runTheJob() throws Exception {
        SparkSession spark = SharedSpark.get();
        Fixture f = new Fixture()
                .row(USERS, "user_id", "U1", "role", "SDR")
                .row(USERS, "user_id", "U1", "role", "Account Executive")
                .row(USERS, "user_id", "U2", "role", "AE")
                .row(USERS, "user_id", "U2", "role", "AE");
        for (String[] l : new String[][] {{"L1", "U1"}, {"L2", "U2"}}) {
            f.row(LEADS, "lead_id", l[0], "owner_id", l[1], "company", "Acme", "created_at", "2026-01-05T09:00:00Z",
                    "mql_at", "2026-01-05T10:00:00Z", "assigned_at", "2026-01-05T11:00:00Z",
                    "first_touch_at", "2026-01-05T12:00:00Z", "accepted_at", "2026-01-06T10:00:00Z");
        }
        f.writeParquet(spark, dir.resolve("in"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\ncontract:\n  max_quarantined_pct: 50\n"
                + "role_mapping: {SDR: [SDR], AE: [AE, Account Executive]}\n"
                + "handoffs:\n  - name: marketing_to_sales\n    sender: Marketing\n    receiver: SDR\n    record: lead\n"
                + "    entry_stage: MQL\n    receiving_roles: [SDR]\n    required_fields: [company]\n"
                + "    sla: {hours: 24}\n    action_stage: WORKED\n    completion_stage: SAL\n"
                + "    reason_sources: [lead_rejection]\n    accepted_reason_categories: [qualification]\n"
                + "    exception_owner: Marketing Operations\n");
        new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);
        ownerNamed = new HashMap<>();
        for (Row r : spark.read().parquet(dir.resolve("out/audit_handoff_failures/as_of=" + AS_OF).toString())
                .collectAsList()) {
            ownerNamed.put(r.getAs("record_id"), r.getAs("owner_named"));
        }
        run = spark.read().parquet(dir.resolve("out/audit_run").toString()).first();
    }

    @Test
    void aUserWithSeveralRolesIsNotQuarantinedAndAnIdenticalCopyStillIs() {
        Row users = run.<Row>getList(run.fieldIndex("inputs")).stream()
                .filter(r -> r.getAs("table").equals("users")).findFirst().orElseThrow();
        assertEquals(List.of(4L, 3L, 1L), List.of(users.<Long>getAs("rows_read"), users.<Long>getAs("rows_accepted"),
                users.<Long>getAs("rows_quarantined")));
    }

    @Test
    void aUserHoldsEveryRoleItHasARowFor() {
        assertEquals(Map.of("L1", true, "L2", false), ownerNamed);
    }

    @Test
    void severalRolesAreReported() {
        String skipped = run.getList(run.fieldIndex("skipped_figures")).toString();
        assertTrue(skipped.contains("[users with several roles,1 user id(s) have rows for more than one role"),
                skipped);
    }
}
