package dev.handshake.job;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.audit.restatement.RestatementTables;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restatements of a closed period through whole runs (file sink), four nights N1..N4 =
 * 2026-04-02..05, each reading the export as it was that night (the CRM and finance edit records
 * between nights). period_close_days 2: March closes on 03-31 + 2 = 04-02 = N1, so N1's figures
 * are March as first published after its close. lookback_days 40: the window starts 02-21 (N1) to
 * 02-24 (N4), so March (from 03-01) is followed and February (from 02-01) is not; April is not
 * closed before 05-02. All amounts USD.
 * <pre>
 * O1 won 03-10, 1000, booked B1 03-12 1000                      CRM and finance: unchanged every night
 * O2 won 03-20, 500; from N3 the CRM says 650                   CRM AMOUNT_EDIT +150 from N3
 *    booked B2 03-22 450; from N4 finance says 500              finance AMOUNT_EDIT +50 on N4
 * O3 won 03-28, 800; from N2 its close date is 04-03            CRM REDATED -800 (now in 2026-04) from N2
 * O4 created 04-04, won 03-30 (entered late, back-dated), 300   CRM LATE_WIN +300 from N3
 * B5 dated 04-03, fiscal_period 2026-03, 200, no deal           finance LATE_BOOKING +200 from N2
 * B6 dated 04-05, fiscal_period 2026-03, reversed, 1000, of O1  finance REVERSAL -1000 on N4
 * B7 dated 04-01, -50, status booked, no deal                  April (not closed): no restatement; a
 *                                                               negative booking that is no reversal
 * </pre>
 * March at close (N1): CRM 1000 + 500 + 800 = 2300; finance 1000 + 450 = 1450.
 * N2: CRM 1000 + 500 = 1500 (-800); finance 1450 + 200 = 1650 (+200).
 * N3: CRM 1000 + 650 + 300 = 1950 (-800 + 150 + 300 = -350); finance 1650 (+200).
 * N4: CRM 1950 (-350); finance 1000 + 500 + 200 - 1000 = 700 (+50 + 200 - 1000 = -750).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestatementNightsTest {
    private static final LocalDate N1 = LocalDate.parse("2026-04-02");
    private static final LocalDate N2 = N1.plusDays(1);
    private static final LocalDate N3 = N1.plusDays(2);
    private static final LocalDate N4 = N1.plusDays(3);
    private static final List<LocalDate> NIGHTS = List.of(N1, N2, N3, N4);

    @TempDir
    static Path dir;

    private final SparkSession spark = SharedSpark.get();

    /** The export as read on a night. */
    private Path snapshot(LocalDate night) {
        Path in = dir.resolve("in-" + night);
        if (Files.exists(in)) {
            return in;
        }
        boolean n2 = !night.isBefore(N2);
        boolean n3 = !night.isBefore(N3);
        boolean n4 = !night.isBefore(N4);
        new Fixture()
                .row(USERS, "user_id", "U1", "role", "AE")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-03-01T10:00:00Z", "segment", "SMB")
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-03-01T00:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", "2026-03-10", "amount", "1000.00", "currency_code", "USD")
                .row(OPPORTUNITIES, "opportunity_id", "O2", "created_at", "2026-03-01T00:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", "2026-03-20", "amount", n3 ? "650.00" : "500.00",
                        "currency_code", "USD")
                .row(OPPORTUNITIES, "opportunity_id", "O3", "created_at", "2026-03-01T00:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", n2 ? "2026-04-03" : "2026-03-28", "amount", "800.00",
                        "currency_code", "USD")
                .row(OPPORTUNITIES, "opportunity_id", "O4", "created_at", "2026-04-04T09:00:00Z", "is_won", true,
                        "is_closed", true, "close_date", "2026-03-30", "amount", "300.00", "currency_code", "USD")
                .row(BOOKINGS, "booking_id", "B1", "opportunity_id", "O1", "booking_date", "2026-03-12",
                        "amount", "1000.00", "currency_code", "USD")
                .row(BOOKINGS, "booking_id", "B2", "opportunity_id", "O2", "booking_date", "2026-03-22",
                        "amount", n4 ? "500.00" : "450.00", "currency_code", "USD")
                .row(BOOKINGS, "booking_id", "B5", "account_id", "A5", "booking_date", "2026-04-03",
                        "fiscal_period", "2026-03", "amount", "200.00", "currency_code", "USD")
                .row(BOOKINGS, "booking_id", "B6", "opportunity_id", "O1", "booking_date", "2026-04-05",
                        "fiscal_period", "2026-03", "amount", "1000.00", "currency_code", "USD", "status", "reversed")
                .row(BOOKINGS, "booking_id", "B7", "account_id", "A7", "booking_date", "2026-04-01",
                        "amount", "-50.00", "currency_code", "USD", "status", "booked")
                .writeParquet(spark, in);
        return in;
    }

    private AuditConfig config(Path out) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "lookback_days: 40\nsource:\n  root: " + dir.resolve("in-none") + "\noutput:\n  root: "
                + out + "\nreconciliation:\n  booking_lag_days: 5\n  period_close_days: 2\n");
        return ConfigLoader.load(yaml);
    }

    /** Runs one night on its own export (forced: a rerun replaces the night). */
    private AuditJob.Outcome run(Path out, LocalDate night) throws Exception {
        return new Nights(spark, config(out).withInputRoot(snapshot(night)), new Nights.Options(true, false)).run(night);
    }

    private Dataset<Row> table(Path out, String table, LocalDate night) {
        return spark.read().parquet(out.resolve(table).resolve("as_of=" + night).toString());
    }

    private static String money(BigDecimal amount) {
        return amount == null ? "-" : amount.stripTrailingZeros().toPlainString();
    }

    /** "side record: movement at_close -> now = difference [other period]", by side and record. */
    private Map<String, String> restatements(Path out, LocalDate night) {
        Map<String, String> rows = new TreeMap<>();
        for (Row r : table(out, RestatementTables.NAME, night).collectAsList()) {
            assertEquals("2026-03", r.getAs(RestatementTables.PERIOD), "only March is closed and in the window");
            assertEquals(java.sql.Date.valueOf(N1), r.getAs(RestatementTables.CLOSED_AS_OF));
            assertEquals(java.sql.Date.valueOf("2026-04-02"), r.getAs(RestatementTables.PERIOD_CLOSE_DATE));
            String other = r.getAs(RestatementTables.OTHER_PERIOD);
            rows.put(r.getAs(RestatementTables.SIDE) + " " + r.getAs(RestatementTables.RECORD_ID),
                    r.getAs(RestatementTables.MOVEMENT) + " " + money(r.getAs(RestatementTables.AMOUNT_AT_CLOSE))
                            + " -> " + money(r.getAs(RestatementTables.AMOUNT_NOW)) + " = "
                            + money(r.getAs(RestatementTables.DIFFERENCE)) + (other == null ? "" : " " + other));
        }
        return rows;
    }

    /** March's crm_bookings and finance_bookings in the night's bridge. */
    private Map<String, String> bridge(Path out, LocalDate night) {
        return table(out, ReconciliationTables.BRIDGE, night).collectAsList().stream()
                .filter(r -> ReconciliationTables.CRM_TO_FINANCE.equals(r.getAs(ReconciliationTables.BRIDGE_NAME))
                        && "2026-03".equals(r.getAs(ReconciliationTables.PERIOD))
                        && List.of("crm_bookings", "finance_bookings").contains(r.<String>getAs(ReconciliationTables.STEP)))
                .collect(Collectors.toMap(r -> r.getAs(ReconciliationTables.STEP),
                        r -> money(r.getAs(ReconciliationTables.AMOUNT))));
    }

    /** Per side, the sum of the night's differences. */
    private Map<String, String> moved(Path out, LocalDate night) {
        return table(out, RestatementTables.NAME, night).groupBy(RestatementTables.SIDE)
                .agg(org.apache.spark.sql.functions.sum(RestatementTables.DIFFERENCE)).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> money(r.getDecimal(1))));
    }

    private List<String> withoutRunId(Path out, LocalDate night) {
        return table(out, RestatementTables.NAME, night).drop("run_id").collectAsList().stream().map(Row::toString)
                .sorted().toList();
    }

    private AuditJob.Outcome lastNight;

    /** The four nights run as a scheduler runs them, once for the class. */
    @BeforeAll
    void runTheNightsInOrder() throws Exception {
        for (LocalDate night : NIGHTS) {
            lastNight = run(dir.resolve("nightly"), night);
        }
    }

    @Test
    void aNegativeBookingThatIsNoReversalIsCountedAndReported() {
        // B7 (-50, booked) is counted; B6 (reversed, so negative after mapping) is not.
        assertEquals(List.of("1 booking(s) in scope with a negative amount and a status that does not map to reversed,"
                        + " counted as given"),
                lastNight.skipped().stream().filter(f -> f.figure().equals("implausible values in bookings"))
                        .map(f -> f.reason()).toList());
    }

    @Test
    void everyRecordThatMovedAClosedMonthIsNamedAndTheDifferencesSumToTheBridge() throws Exception {
        Path out = dir.resolve("nightly");
        assertEquals(Map.of(
                "CRM O1", "UNCHANGED 1000 -> 1000 = 0", "CRM O2", "UNCHANGED 500 -> 500 = 0",
                "CRM O3", "UNCHANGED 800 -> 800 = 0",
                "FINANCE B1", "UNCHANGED 1000 -> 1000 = 0", "FINANCE B2", "UNCHANGED 450 -> 450 = 0"),
                restatements(out, N1));
        assertEquals(Map.of(
                "CRM O1", "UNCHANGED 1000 -> 1000 = 0", "CRM O2", "UNCHANGED 500 -> 500 = 0",
                "CRM O3", "REDATED 800 -> - = -800 2026-04",
                "FINANCE B1", "UNCHANGED 1000 -> 1000 = 0", "FINANCE B2", "UNCHANGED 450 -> 450 = 0",
                "FINANCE B5", "LATE_BOOKING - -> 200 = 200"),
                restatements(out, N2));
        assertEquals(Map.of(
                "CRM O1", "UNCHANGED 1000 -> 1000 = 0", "CRM O2", "AMOUNT_EDIT 500 -> 650 = 150",
                "CRM O3", "REDATED 800 -> - = -800 2026-04", "CRM O4", "LATE_WIN - -> 300 = 300",
                "FINANCE B1", "UNCHANGED 1000 -> 1000 = 0", "FINANCE B2", "UNCHANGED 450 -> 450 = 0",
                "FINANCE B5", "LATE_BOOKING - -> 200 = 200"),
                restatements(out, N3));
        assertEquals(Map.of(
                "CRM O1", "UNCHANGED 1000 -> 1000 = 0", "CRM O2", "AMOUNT_EDIT 500 -> 650 = 150",
                "CRM O3", "REDATED 800 -> - = -800 2026-04", "CRM O4", "LATE_WIN - -> 300 = 300",
                "FINANCE B1", "UNCHANGED 1000 -> 1000 = 0", "FINANCE B2", "AMOUNT_EDIT 450 -> 500 = 50",
                "FINANCE B5", "LATE_BOOKING - -> 200 = 200", "FINANCE B6", "REVERSAL - -> -1000 = -1000"),
                restatements(out, N4));

        // The differences sum exactly to the movement of the published figures.
        assertEquals(Map.of("crm_bookings", "2300", "finance_bookings", "1450"), bridge(out, N1));
        assertEquals(Map.of("crm_bookings", "1950", "finance_bookings", "700"), bridge(out, N4));
        assertEquals(Map.of("CRM", "0", "FINANCE", "0"), moved(out, N1));
        assertEquals(Map.of("CRM", "-800", "FINANCE", "200"), moved(out, N2));
        assertEquals(Map.of("CRM", "-350", "FINANCE", "200"), moved(out, N3));
        assertEquals(Map.of("CRM", "-350", "FINANCE", "-750"), moved(out, N4));

        // sql/duckdb/what_moved_a_closed_period.sql on the latest night (N4).
        List<List<List<String>>> answer = query(out, "what_moved_a_closed_period.sql");
        // Part 1 columns: side, closed_as_of, at_close, now, moved.
        assertEquals(List.of("CRM " + N1 + " 2300 1950 -350", "FINANCE " + N1 + " 1450 700 -750"),
                answer.get(0).stream().map(r -> r.get(0) + " " + r.get(1) + " " + money(new BigDecimal(r.get(2)))
                        + " " + money(new BigDecimal(r.get(3))) + " " + money(new BigDecimal(r.get(4)))).toList());
        // Part 2: the records that moved, largest first (ties by side, record), columns side, movement, record_id first.
        assertEquals(List.of("FINANCE REVERSAL B6", "CRM REDATED O3", "CRM LATE_WIN O4", "FINANCE LATE_BOOKING B5",
                        "CRM AMOUNT_EDIT O2", "FINANCE AMOUNT_EDIT B2"),
                answer.get(1).stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList());
    }

    @Test
    void aBackfillInOrderAndARerunOfTheMiddleNightGiveTheSameRestatements() throws Exception {
        Path nightly = dir.resolve("nightly");
        Map<LocalDate, List<String>> first = new TreeMap<>();
        for (LocalDate night : NIGHTS) {
            first.put(night, withoutRunId(nightly, night));
        }
        assertEquals(8, first.get(N4).size(), "the fixture's N4 rows");

        // A backfill into a new output: the same nights in date order.
        Path backfill = dir.resolve("backfill");
        for (LocalDate night : NIGHTS) {
            run(backfill, night);
            assertEquals(first.get(night), withoutRunId(backfill, night), "backfilled " + night);
        }
        // A rerun of the middle nights reads the same previous night and writes the same rows.
        run(nightly, N2);
        assertEquals(first.get(N2), withoutRunId(nightly, N2));
        run(nightly, N3);
        assertEquals(first.get(N3), withoutRunId(nightly, N3));
    }

    @Test
    void twoNightsThroughTheWarehouseSinkGiveTheFileSinksRestatements() throws Exception {
        Path db = dir.resolve("restatements.duckdb");
        dev.handshake.testing.DuckDb.execute(db, "CREATE SCHEMA audit");
        for (LocalDate night : List.of(N1, N2)) {
            new Nights(spark, config(dir.resolve("reports")).withInputRoot(snapshot(night))
                    .withOutputWarehouse(dev.handshake.testing.DuckDb.settings(db, "audit")),
                    new Nights.Options(true, false)).run(night);
        }
        // N2 carries March's close state read back from the warehouse: O3 REDATED 800 -> -, B5 LATE_BOOKING.
        for (LocalDate night : List.of(N1, N2)) {
            Dataset<Row> stored = spark.read().jdbc(dev.handshake.testing.DuckDb.url(db), "audit.audit_restatements",
                    new java.util.Properties()).filter(org.apache.spark.sql.functions.col("as_of")
                    .equalTo(org.apache.spark.sql.functions.lit(java.sql.Date.valueOf(night))));
            List<String> rows = stored.select(java.util.Arrays.stream(RestatementTables.SCHEMA.fields())
                            .map(f -> org.apache.spark.sql.functions.col(f.name()).cast(f.dataType()).as(f.name()))
                            .toArray(org.apache.spark.sql.Column[]::new))
                    .collectAsList().stream().map(Row::toString).sorted().toList();
            assertEquals(withoutRunId(dir.resolve("nightly"), night), rows, "warehouse " + night);
        }
    }

    /** Runs sql/duckdb/views.sql (the views with files) and then a query file's statements, in DuckDB. */
    private List<List<List<String>>> query(Path out, String file) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            List<String> setup = new ArrayList<>(List.of("SET VARIABLE output = '" + out.toAbsolutePath() + "'",
                    "SET VARIABLE period = '2026-03'"));
            java.util.regex.Pattern view = java.util.regex.Pattern.compile("CREATE OR REPLACE VIEW (\\w+) AS");
            for (String statement : statements(Path.of("sql/duckdb/views.sql"))) {
                java.util.regex.Matcher m = view.matcher(statement);
                if (m.find() && Files.isDirectory(out.resolve(m.group(1)))) {
                    setup.add(statement);
                }
            }
            for (String statement : setup) {
                try (Statement s = duck.createStatement()) {
                    s.execute(statement);
                }
            }
            List<List<List<String>>> results = new ArrayList<>();
            for (String statement : statements(Path.of("sql/duckdb").resolve(file))) {
                List<List<String>> rows = new ArrayList<>();
                try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(statement)) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(r.getString(i));
                        }
                        rows.add(row);
                    }
                }
                results.add(rows);
            }
            return results;
        }
    }

    private static List<String> statements(Path file) throws Exception {
        String text = Files.readAllLines(file).stream().filter(l -> !l.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Stream.of(text.split(";\\s*(\\n|$)")).map(String::strip).filter(q -> !q.isEmpty()).toList();
    }
}
