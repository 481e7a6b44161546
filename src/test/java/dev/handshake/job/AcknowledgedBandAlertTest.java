package dev.handshake.job;

import static dev.handshake.model.CanonicalTable.ACKNOWLEDGEMENTS;
import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.config.ConfigLoader;
import dev.handshake.model.BreakId;
import dev.handshake.model.Dimension;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --fail-on-band} leaves acknowledged breaks out (issue 28 item 2), through one whole run,
 * as_of 2026-03-31, booking_lag_days 5 (default), default thresholds. Two workflows built the same
 * way, by segment, AK and UN; each has two leads (campaign C1, every stage stamped: no stage
 * anomaly) converted into won 1,000 USD deals closed 2026-02-10 that lost the campaign:
 * <pre>
 * deal   booking                    category   lag (finance lag)
 * X-O1   X-B1 1,000 on 02-10        MATCHED    0
 * X-O2   none                       CRM_ONLY   49 days elapsed (02-10 + 5 is before 03-31)
 * </pre>
 * AK-O2's break is acknowledged (until 2026-12-31); UN-O2's is not. Published, both alike:
 * capture_linkage 0 of 2 = 0 % -> 3; stage_consistency 0 % -> 1; owner_clarity (no handoff) and
 * override_discipline (no field_history) without data; finance_lag p90 of [0, 49] = 0 + 0.9 x 49
 * = 44.1 -> 3; repeatability 1,000 of 2,000 = 50 % -> 3. Total 10 with 2 missing: 12..16 at
 * worst, at best 12 -> DISTORTING..BREAKING, so at least DISTORTING: --fail-on-band DISTORTING
 * alerts on both as published.
 * <p>For the alert, AK-O2 as matched: repeatability 2,000 of 2,000 = 100 % -> 1; finance lag
 * leaves the unbooked AK-O2 out, p90 of [0] = 0 -> 1. Total 3 + 1 + 1 + 1 = 6, best 8: CLEAN, no
 * alert. Had only repeatability moved, 3 + 1 + 3 + 1 = 8, best 10, it would still alert: the
 * finance-lag half of the rule is what this fixture tells apart.
 */
class AcknowledgedBandAlertTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    @TempDir
    static Path dir;
    private static AuditJob.Outcome outcome;

    private static void workflow(Fixture f, String segment) {
        for (int i = 1; i <= 2; i++) {
            String opp = segment + "-O" + i;
            f.row(LEADS, "lead_id", segment + "-L" + i, "created_at", "2026-01-05T10:00:00Z", "segment", segment,
                    "campaign_id", "C1", "company", "Acme", "owner_id", "S1", "mql_at", "2026-01-05T11:00:00Z",
                    "assigned_at", "2026-01-05T11:30:00Z", "first_touch_at", "2026-01-05T12:00:00Z",
                    "accepted_at", "2026-01-06T10:00:00Z", "converted_at", "2026-01-07T10:00:00Z",
                    "converted_opportunity_id", opp);
            f.row(OPPORTUNITIES, "opportunity_id", opp, "account_id", "A-" + opp, "created_at", "2026-01-07T10:00:00Z",
                    "owner_id", "A1", "amount", "1000.00", "currency_code", "USD", "close_date", "2026-02-10",
                    "is_closed", true, "is_won", true);
        }
        f.row(BOOKINGS, "booking_id", segment + "-B1", "opportunity_id", segment + "-O1", "account_id", "A-" + segment
                + "-O1", "booking_date", "2026-02-10", "amount", "1000.00", "currency_code", "USD", "status", "booked");
    }

    @BeforeAll
    static void runTheNight() throws Exception {
        SparkSession spark = SharedSpark.get();
        String acknowledged = spark.range(1).select(BreakId.of(lit("AK-O2"), lit(null).cast("array<string>")))
                .first().getString(0);
        Fixture f = new Fixture()
                .row(USERS, "user_id", "S1", "role", "SDR")
                .row(USERS, "user_id", "A1", "role", "AE")
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(ACKNOWLEDGEMENTS, "break_id", acknowledged, "acknowledged_by", "revops",
                        "reason", "won without PO; booking expected in April", "until", "2026-12-31");
        workflow(f, "AK");
        workflow(f, "UN");
        f.writeParquet(spark, dir.resolve("in"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\nworkflows:\n  - name: AK\n    include: {segments: [AK]}\n"
                + "  - name: UN\n    include: {segments: [UN]}\n");
        outcome = new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);
    }

    private static Map<String, List<Integer>> scores(List<BenchmarkAudit.WorkflowReport> reports) {
        return reports.stream().collect(Collectors.toMap(r -> r.workflow().name(), r -> Arrays.stream(
                Dimension.values()).map(d -> r.scores().get(d).score()).toList()));
    }

    @Test
    void thePublishedBandsCountTheAcknowledgedBreak() {
        // capture, stage, owner, override, finance lag, repeatability
        List<Integer> published = Arrays.asList(3, 1, null, null, 3, 3);
        assertEquals(Map.of("AK", published, "UN", published), scores(outcome.workflows()));
        assertEquals(new BigDecimal("44.1000"), outcome.workflows().get(0).scores().get(Dimension.FINANCE_LAG).value());
        assertEquals(List.of("workflow AK: band at least DISTORTING (2 dimension(s) without data), total 10",
                        "workflow UN: band at least DISTORTING (2 dimension(s) without data), total 10"),
                BandAlert.alerts(outcome.workflows(), BandAlert.Band.DISTORTING));
    }

    @Test
    void theBandAlertTakesTheAcknowledgedBreakAsMatchedAndOnlyTheUnacknowledgedWorkflowAlerts() {
        assertEquals(Map.of("AK", Arrays.asList(3, 1, null, null, 1, 1), "UN", Arrays.asList(3, 1, null, null, 3, 3)),
                scores(outcome.bandAlertWorkflows()));
        assertEquals(List.of("workflow UN: band at least DISTORTING (2 dimension(s) without data), total 10"),
                BandAlert.alerts(outcome.bandAlertWorkflows(), BandAlert.Band.DISTORTING));
    }
}
