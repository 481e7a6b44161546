package dev.handshake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.cli.Main;
import dev.handshake.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "your own data" path on each shipped example (conf/examples/), through the command line as a
 * new user takes it: {@code init} prints a configuration, the user edits only the lines it marks
 * "# check", {@code validate} accepts it, and {@code audit} gives the figures worked out by hand
 * below from the example files. Where a figure needs an input the export does not have, the
 * outputs say not measured, never zero or clean.
 */
// Alone: it swaps System.out and System.err to read what the commands print.
@Isolated
class InitValidateAuditExamplesTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    /** Runs a command in this JVM (borrowing the tests' Spark session) and captures what it prints. */
    private static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            IntSupplier run = () -> Main.execute(args);
            code = run.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The user's edit: a line init marked "# check" replaced by their decision. */
    private static String edit(String config, String lineStart, String decision) {
        List<String> lines = Arrays.asList(config.split("\n", -1));
        List<String> marked = lines.stream().filter(l -> l.startsWith(lineStart)).toList();
        assertEquals(1, marked.size(), "one line starts with " + lineStart);
        assertTrue(marked.get(0).contains("# check"), "init marked it: " + marked.get(0));
        return lines.stream().map(l -> l.startsWith(lineStart) ? decision : l).collect(Collectors.joining("\n"));
    }

    private Path init(String example) throws Exception {
        SharedSpark.get();
        Run init = cli("init", "--input", Path.of("conf/examples", example, "data").toString());
        assertEquals(0, init.code(), init.err());
        Path config = dir.resolve(example + ".yaml");
        Files.writeString(config, init.out());
        return config;
    }

    private Map<String, Row> table(String table, String asOf, String key) {
        Dataset<Row> rows = SharedSpark.get().read().parquet(dir.resolve("out").resolve(table)
                .resolve("as_of=" + asOf).toString());
        Map<String, Row> out = new LinkedHashMap<>();
        rows.collectAsList().forEach(r -> out.put(String.valueOf(r.<Object>getAs(key)), r));
        return out;
    }

    /** The cohort-wide funnel, stage to (entered, converted); null where not measured. */
    private Map<String, List<Long>> funnel(String asOf) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        SharedSpark.get().read().parquet(dir.resolve("out/audit_funnel/as_of=" + asOf).toString())
                .filter("cut_dimension = 'all' and cohort_month = '*'").orderBy("stage_order").collectAsList()
                .forEach(r -> out.put(r.getAs("stage"), Arrays.asList(r.<Long>getAs("entered"), r.<Long>getAs("converted"))));
        return out;
    }

    /** An amount as plain text without trailing zeros ("450.5"): equal whatever the column's scale. */
    private static String money(Row r, String column) {
        BigDecimal v = r.getAs(column);
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }

    private static List<Long> counts(Long entered, Long converted) {
        return Arrays.asList(entered, converted);
    }

    /**
     * marketing_qualified_leads.csv: M1 02-01 paid_search, M2 02-03, M3 02-10, M4 03-05 (2018), and M5
     * without a first contact date. closed_deals.csv: M1 won 02-20 (1,200), M3 won 03-01 (450.50), M9
     * won 03-02 (NaN revenue). as_of 2018-03-31.
     * <ul>
     * <li>M5 has no creation instant: 1 of 5 leads (20 %) quarantined, above the shipped 5 %, so init
     *     marks the tolerance and validate refuses the export until the user raises it.</li>
     * <li>The cohort is M1-M4: CAPTURED entered 4. The export links no lead to a deal (no conversion
     *     column) and records no later stage, so nothing after CAPTURED is measured: no conversion
     *     out of CAPTURED (not "4 of 4 dropped"), no count for MQL to BOOKED.</li>
     * <li>Three won deals: 1,200 in 2018-02, 450.50 and no value in 2018-03; the CRM's bookings metric
     *     is 1,200 and 450.50. No bookings table: the reconciliation says not measured.</li>
     * </ul>
     */
    @Test
    void leadsAndClosedDeals() throws Exception {
        Path config = init("leads-closed-deals");
        Run refused = cli("validate", "--config", config.toString());
        assertEquals(3, refused.code(), refused.out());
        assertTrue(refused.out().contains("leads: missing required value: created_at: 1 row(s)"), refused.out());
        assertTrue(refused.err().contains("input table leads: 1 of 5 rows (20.00%) break the contract"), refused.err());

        Files.writeString(config, edit(Files.readString(config), "  max_quarantined_pct:", "  max_quarantined_pct: 20.0"));
        Run validated = cli("validate", "--config", config.toString());
        assertEquals(0, validated.code(), validated.err());
        assertTrue(validated.out().contains("inputs OK"), validated.out());

        Run audit = cli("audit", "--config", config.toString(), "--as-of", "2018-03-31", "--output",
                dir.resolve("out").toString());
        assertEquals(0, audit.code(), audit.err());
        assertEquals(Map.of("M5", "missing required value: created_at"), table("audit_quarantine", "2018-03-31",
                "row_key").entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().<String>getAs("reason"))));

        Map<String, List<Long>> funnel = funnel("2018-03-31");
        assertEquals(counts(4L, null), funnel.get("CAPTURED"));
        for (String later : List.of("MQL", "ASSIGNED", "WORKED", "SAL", "OPPORTUNITY", "WON", "BOOKED")) {
            assertEquals(counts(null, null), funnel.get(later), later);
        }

        Map<String, Row> recon = table("audit_reconciliation", "2018-03-31", "opportunity_id");
        assertEquals(List.of("M1", "M3", "M9"), recon.keySet().stream().sorted().toList());
        assertEquals("1200", money(recon.get("M1"), "crm_amount"));
        assertEquals("2018-02", recon.get("M1").getAs("crm_period"));
        assertEquals("450.5", money(recon.get("M3"), "crm_amount"));
        assertNull(recon.get("M9").getAs("crm_amount"));
        assertEquals("2018-03", recon.get("M9").getAs("crm_period"));
        recon.values().forEach(r -> {
            assertNull(r.getAs("category"));
            assertEquals("not measured: no bookings table", r.getAs("note"));
        });

        Map<String, Row> metrics = table("audit_metric_comparison", "2018-03-31", "period");
        assertEquals("1200", money(metrics.get("2018-02"), "recomputed_value"));
        assertEquals("450.5", money(metrics.get("2018-03"), "recomputed_value"));

        table("audit_first_fork", "2018-03-31", "workflow").values().forEach(r ->
                assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, r.getAs("first_fork_layer"), r.toString()));
        assertTrue(audit.out().contains("handoff marketing_to_sales (not measurable"), audit.out());
    }

    /**
     * contacts.csv (2024): 101 MQL 01-09, SQL 01-12, deal 9001; 102 MQL, SQL 01-15, no deal; 103 MQL
     * only; 104 nothing; 105 MQL, SQL 02-05, deal 9002. deals.csv: 9001 Closed Won 02-28 (12,000,
     * created 01-13 10:00), 9002 Contract Sent (created 02-06 09:00), 9003 Closed Lost. as_of 2024-03-31.
     * <ul>
     * <li>Funnel: CAPTURED 5, MQL 4, SAL 3 (the SQL date is the acceptance), OPPORTUNITY 2 (101 and 105
     *     carry a deal), WON 1 (9001). ASSIGNED and WORKED are never recorded, so they are inferred
     *     from SAL: 3 each. BOOKED is not measured (no bookings), so WON has no conversion.</li>
     * <li>sdr_to_ae enters at SAL: 101, 102, 105. 101's deal came 18.5 h after acceptance, 105's
     *     23 h, 102 has none: SLA met 2 of 3 = 66.67 %, median latency (18.5 + 23) / 2 = 20.75 h. The
     *     deals carry no lead source or campaign: payload complete 0 %.</li>
     * <li>One won deal, 12,000 in 2024-02: reconciliation row not measured (no bookings table).</li>
     * </ul>
     */
    @Test
    void hubSpotStyleContactsDealsAndOwners() throws Exception {
        Path config = init("hubspot");
        assertTrue(Files.readString(config).contains("  max_quarantined_pct: 5.0\n"), "no table over the tolerance");
        Run validated = cli("validate", "--config", config.toString(), "--as-of", "2024-03-31");
        assertEquals(0, validated.code(), validated.err());
        assertTrue(validated.out().contains("rows breaking the contract: none"), validated.out());
        // The night's coverage before any run, as its audit states it. Direct evidence: a Create Date
        // for all 5, an MQL date for 4, an SQL date (acceptance) for 3, a deal for 101 and 105, a win
        // for 101; nothing records assignment or work, and there are no bookings. The one won deal
        // (9001) has an amount, no currency column (the reporting currency, so a usable rate) and its
        // lead 101.
        assertTrue(validated.out().contains("  cohort leads with direct evidence per stage, of 5: CAPTURED 5, MQL 4,"
                + " ASSIGNED 0, WORKED 0, SAL 3, OPPORTUNITY 2, WON 1, BOOKED 0; no evidence at all (untracked):"
                + " ASSIGNED, WORKED, BOOKED"), validated.out());
        assertTrue(validated.out().contains("  won deals 1: with an amount 1 (100.0 %), a currency 0 (0.0 %), an amount"
                + " with a usable FX rate 1 (100.0 %), a linked lead 1 (100.0 %)"), validated.out());

        Run audit = cli("audit", "--config", config.toString(), "--as-of", "2024-03-31", "--output",
                dir.resolve("out").toString());
        assertEquals(0, audit.code(), audit.err());

        Map<String, List<Long>> funnel = funnel("2024-03-31");
        assertEquals(counts(5L, 4L), funnel.get("CAPTURED"));
        assertEquals(counts(4L, 3L), funnel.get("MQL"));
        assertEquals(counts(3L, 3L), funnel.get("ASSIGNED"));
        assertEquals(counts(3L, 3L), funnel.get("WORKED"));
        assertEquals(counts(3L, 2L), funnel.get("SAL"));
        assertEquals(counts(2L, 1L), funnel.get("OPPORTUNITY"));
        assertEquals(counts(1L, null), funnel.get("WON"));
        assertEquals(counts(null, null), funnel.get("BOOKED"));

        Row map = table("audit_handoff_map", "2024-03-31", "handoff").get("sdr_to_ae");
        assertEquals(3L, map.<Long>getAs("entered"));
        assertEquals(66.67, map.<Double>getAs("sla_met_pct"), 1e-9);
        assertEquals(20.75, map.<Double>getAs("median_latency_hours"), 1e-9);
        assertEquals(0.0, map.<Double>getAs("payload_complete_pct"), 1e-9);

        Map<String, Row> recon = table("audit_reconciliation", "2024-03-31", "opportunity_id");
        assertEquals(List.of("9001"), List.copyOf(recon.keySet()));
        assertEquals("12000", money(recon.get("9001"), "crm_amount"));
        assertEquals("2024-02", recon.get("9001").getAs("crm_period"));
        assertEquals("not measured: no bookings table", recon.get("9001").getAs("note"));
        table("audit_first_fork", "2024-03-31", "workflow").values().forEach(r ->
                assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, r.getAs("first_fork_layer"), r.toString()));
    }

    /**
     * sales_pipeline.csv (day-first dates, NaN for empty, a byte order mark): five Won deals closing
     * in 2017-03 with values 1,054 + 4,514 + 50 + 588 + 1,224 = 7,430; PE84CX4O Lost with value 0;
     * ZZY4516Q Engaging; LBY6NAAV Prospecting without an engage date (1 of 8 quarantined, 12.5 %).
     * No leads table: the funnel has no row and no handoff is measured. as_of 2017-03-31.
     */
    @Test
    void opportunityOnlyExport() throws Exception {
        Path config = init("opportunity-only");
        Run refused = cli("validate", "--config", config.toString());
        assertEquals(3, refused.code(), refused.out());
        assertTrue(refused.out().contains("opportunities: missing required value: created_at: 1 row(s), e.g. 'NaN'"),
                refused.out());

        Files.writeString(config, edit(Files.readString(config), "  max_quarantined_pct:", "  max_quarantined_pct: 15.0"));
        Run validated = cli("validate", "--config", config.toString());
        assertEquals(0, validated.code(), validated.err());
        // Told before the run: no leads (funnel, lead handoffs) and no bookings (finance figures).
        assertTrue(validated.out().contains("  funnel (audit_funnel): needs leads; without it: no funnel row"),
                validated.out());
        assertTrue(validated.out().contains("  benchmark finance_lag, reconciliation_repeatability; number in dispute:"
                + " needs bookings; without it: not measured: no bookings table"), validated.out());
        Run audit = cli("audit", "--config", config.toString(), "--as-of", "2017-03-31", "--output",
                dir.resolve("out").toString());
        assertEquals(0, audit.code(), audit.err());

        assertEquals(List.of("LBY6NAAV"), List.copyOf(table("audit_quarantine", "2017-03-31", "row_key").keySet()));
        assertTrue(funnel("2017-03-31").isEmpty());
        Map<String, Row> recon = table("audit_reconciliation", "2017-03-31", "opportunity_id");
        assertEquals(List.of("1C1I7A6R", "EC4QE1BX", "KWVA7VR1", "MV1LWRNH", "Z063OYW0"),
                recon.keySet().stream().sorted().toList());
        BigDecimal won = recon.values().stream().map(r -> r.<BigDecimal>getAs("crm_amount"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals("7430", won.stripTrailingZeros().toPlainString());
        recon.values().forEach(r -> {
            assertEquals("2017-03", r.getAs("crm_period"));
            assertEquals("not measured: no bookings table", r.getAs("note"));
        });
        assertEquals("7430", money(table("audit_metric_comparison", "2017-03-31", "segment").get("*"),
                "recomputed_value"));
        assertTrue(audit.out().contains("no configured handoff is measurable"), audit.out());
        assertTrue(!audit.out().contains("no lead was created"), "no leads table: no lead-cohort warning\n" + audit.out());
    }
}
