package dev.handshake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.model.CanonicalTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String MINIMAL = "source:\n  root: data\n";

    private AuditConfig load(String yaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    @Test
    void theShippedDefaultLoads() {
        AuditConfig c = ConfigLoader.load(Path.of("conf/local.yaml"));
        assertEquals("USD", c.reportingCurrency());
        assertEquals(365, c.lookbackDays());
        assertEquals("MQL", c.leadStatusStages().valueOf("  marketing   qualified "));
        assertEquals("AE", c.roles().valueOf("account executive"));
        assertEquals("qualification", c.reasonCategories().valueOf("NO BUDGET"));
    }

    @Test
    void theShippedWorkflowsAndBenchmarkDefaultsLoad() {
        AuditConfig c = ConfigLoader.load(Path.of("conf/local.yaml"));
        assertEquals(java.util.List.of("paid_demo_requests", "partner_sourced", "all_inbound"),
                c.workflows().stream().map(Workflow::name).toList());
        Workflow paid = c.workflows().get(0);
        assertEquals(java.util.List.of("paid_search", "paid_social"), paid.include().channels());
        assertEquals(java.util.List.of("demo_request"), paid.include().touchTypes());
        assertEquals(java.util.List.of("outbound"), c.workflows().get(2).exclude().leadSources());
        assertEquals(new java.math.BigDecimal("95"), c.benchmark().thresholds(
                dev.handshake.model.Dimension.CAPTURE_LINKAGE).score1());
        assertEquals("Marketing Operations", c.benchmark().repair(dev.handshake.model.Layer.CAPTURE).owner());
    }

    @Test
    void workflowsMayFilterOnOwnersAndOpportunityTypesNormalizedLikeEveryLabel() throws Exception {
        AuditConfig c = load(MINIMAL + "workflows:\n  - name: ent_new\n"
                + "    include: {owners: [Agent-7, ' agent  9'], opportunity_types: ['New  Business']}\n"
                + "    exclude: {opportunity_types: [Renewal], segments: [SMB]}\n");
        Workflow w = c.workflows().get(0);
        assertEquals(java.util.List.of("agent-7", "agent 9"), w.include().owners());
        assertEquals(java.util.List.of("new business"), w.include().opportunityTypes());
        assertEquals(java.util.List.of("renewal"), w.exclude().values(Workflow.Key.OPPORTUNITY_TYPES));
        assertEquals(java.util.List.of(), w.exclude().owners());
        assertEquals("opportunity_types", Workflow.Key.OPPORTUNITY_TYPES.key());
    }

    @Test
    void aMinimalFileGetsTheSpecsThresholdsAndNoWorkflows() throws Exception {
        AuditConfig c = load(MINIMAL + "benchmark:\n  thresholds:\n    finance_lag: {score_1: 1, score_2: 3}\n");
        assertEquals(0, c.workflows().size());
        assertEquals(new java.math.BigDecimal("1"), c.benchmark().thresholds(
                dev.handshake.model.Dimension.FINANCE_LAG).score1());
        // Unnamed dimensions keep the spec's defaults.
        assertEquals(new java.math.BigDecimal("10"), c.benchmark().thresholds(
                dev.handshake.model.Dimension.STAGE_CONSISTENCY).score2());
        assertEquals(new java.math.BigDecimal("5"), c.benchmark().materialityPct());
    }

    @Test
    void defaultsApplyToAMinimalFile() throws Exception {
        AuditConfig c = load(MINIMAL);
        assertEquals(365, c.lookbackDays());
        assertEquals(8, c.spark().shufflePartitions());
        assertEquals(5.0, c.maxQuarantinedPct());
        assertEquals("leads", c.source().mapping(CanonicalTable.LEADS).path());
        assertEquals(java.time.Duration.ofHours(12), c.lockStaleAfter());
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("unknown top-level key", "reportng_currency: USD\n" + MINIMAL, "'reportng_currency'"),
                Arguments.of("unknown nested key", "source:\n  root: d\n  rot: x\n", "'source.rot'"),
                Arguments.of("wrong type", "lookback_days: many\n" + MINIMAL, "'lookback_days'"),
                Arguments.of("out of range", "lookback_days: 0\n" + MINIMAL, "'lookback_days'"),
                Arguments.of("bad currency", "reporting_currency: dollars\n" + MINIMAL, "'reporting_currency'"),
                Arguments.of("missing source", "output:\n  root: out\n", "'source'"),
                Arguments.of("unsupported format", "source:\n  root: d\n  format: xml\n", "'source.format'"),
                Arguments.of("unknown table", "source:\n  root: d\n  tables:\n    leeds: {path: x}\n", "'source.tables.leeds'"),
                Arguments.of("unknown column", "source:\n  root: d\n  tables:\n    leads: {columns: {lead_idd: Id}}\n", "'source.tables.leads.columns.lead_idd'"),
                Arguments.of("unknown stage", MINIMAL + "stage_mapping:\n  lead_status:\n    QUALIFIED: [Qualified]\n", "'stage_mapping.lead_status.QUALIFIED'"),
                Arguments.of("label mapped twice", MINIMAL + "stage_mapping:\n  lead_status:\n    MQL: [MQL]\n    SAL: [' mql']\n", "'stage_mapping.lead_status.SAL'"),
                Arguments.of("unknown role", MINIMAL + "role_mapping:\n  CEO: [Chief]\n", "'role_mapping.CEO'"),
                Arguments.of("unknown reason category", MINIMAL + "reason_categories:\n  budget: [No Budget]\n", "'reason_categories.budget'"),
                Arguments.of("bad tolerance", MINIMAL + "contract:\n  max_quarantined_pct: 120\n", "'contract.max_quarantined_pct'"),
                Arguments.of("bad partitions", MINIMAL + "spark:\n  shuffle_partitions: 0\n", "'spark.shuffle_partitions'"),
                Arguments.of("unknown dimension", MINIMAL + "benchmark:\n  thresholds:\n    speed: {score_1: 1, score_2: 2}\n",
                        "'benchmark.thresholds.speed'"),
                Arguments.of("thresholds in the wrong order", MINIMAL
                        + "benchmark:\n  thresholds:\n    capture_linkage: {score_1: 80, score_2: 95}\n",
                        "'benchmark.thresholds.capture_linkage'"),
                Arguments.of("lower-is-better order", MINIMAL
                        + "benchmark:\n  thresholds:\n    finance_lag: {score_1: 7, score_2: 2}\n",
                        "'benchmark.thresholds.finance_lag'"),
                Arguments.of("percentage above 100", MINIMAL
                        + "benchmark:\n  thresholds:\n    owner_clarity: {score_1: 120, score_2: 80}\n",
                        "'benchmark.thresholds.owner_clarity'"),
                Arguments.of("missing threshold", MINIMAL + "benchmark:\n  thresholds:\n    owner_clarity: {score_1: 95}\n",
                        "'benchmark.thresholds.owner_clarity'"),
                Arguments.of("unknown layer", MINIMAL + "benchmark:\n  layers:\n    sales: {repair_owner: X}\n",
                        "'benchmark.layers.sales'"),
                Arguments.of("bad materiality", MINIMAL + "benchmark:\n  materiality_pct: -1\n", "'benchmark.materiality_pct'"),
                Arguments.of("capture field not governed", MINIMAL
                        + "benchmark:\n  governed_fields: [owner_id]\n  capture_fields: [campaign_id]\n",
                        "'benchmark.capture_fields'"),
                Arguments.of("workflow without name", MINIMAL + "workflows:\n  - include: {channels: [partner]}\n",
                        "'workflows[0].name'"),
                Arguments.of("workflow named twice", MINIMAL + "workflows:\n  - name: a\n  - name: a\n",
                        "'workflows[1].name'"),
                Arguments.of("unknown population filter", MINIMAL
                        + "workflows:\n  - name: a\n    include: {sql: \"1=1\"}\n", "'workflows[0].include.sql'"),
                Arguments.of("empty filter value", MINIMAL
                        + "workflows:\n  - name: a\n    include: {channels: ['  ']}\n", "'workflows[0].include.channels'"),
                Arguments.of("owner listed twice", MINIMAL
                        + "workflows:\n  - name: a\n    exclude: {owners: [u1, ' U1']}\n", "'workflows[0].exclude.owners'"),
                Arguments.of("bad lock age", MINIMAL + "output:\n  lock_stale_after_minutes: 0\n",
                        "'output.lock_stale_after_minutes'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void everyConfigurationErrorNamesItsKey(String what, String yaml, String key) {
        AuditException e = assertThrows(AuditException.class, () -> load(yaml));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code(), what);
        assertTrue(e.getMessage().contains(key), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix:") || e.getMessage().contains("must be"), what + ": " + e.getMessage());
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of(MINIMAL + "contract:\n  max_quarantined_pct: five\n",
                        "configuration key 'contract.max_quarantined_pct': must be a number, got \"five\""),
                Arguments.of("lookback_days: 2.5\n" + MINIMAL,
                        "configuration key 'lookback_days': must be a whole number, got \"2.5\""),
                Arguments.of(MINIMAL + "spark:\n  shuffle_partitions: [4]\n",
                        "configuration key 'spark.shuffle_partitions': must be a whole number, got a list"),
                Arguments.of("source: data\n",
                        "configuration key 'source': must be a section of keys, got \"data\""),
                Arguments.of(MINIMAL + "benchmark:\n  governed_fields: {owner_id: x}\n",
                        "configuration key 'benchmark.governed_fields': must be a list, got a section of keys"),
                Arguments.of(MINIMAL + "workflows:\n  - name: a\n    include: {owners: agent-7}\n",
                        "configuration key 'workflows[0].include.owners': must be a list, got \"agent-7\""),
                Arguments.of(MINIMAL + "workflows:\n  - name: a\n    exclude: {opportunity_types: {new: x}}\n",
                        "configuration key 'workflows[0].exclude.opportunity_types': must be a list, got a section"
                                + " of keys"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongTypes")
    void aWrongTypeIsSaidInTheWordsOfTheFileWithoutJavaTypes(String yaml, String expected) {
        AuditException e = assertThrows(AuditException.class, () -> load(yaml));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertTrue(e.getMessage().startsWith(expected + ". Fix: "), e.getMessage());
        assertTrue(!e.getMessage().contains("java.") && !e.getMessage().contains("deserialize"), e.getMessage());
    }

    @Test
    void aMissingFileSaysHowToPassOne() {
        AuditException e = assertThrows(AuditException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("--config"), e.getMessage());
    }

    @Test
    void withNeitherLeadsNorOpportunitiesBothAreNamedBeforeSparkStarts() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("users"));
        Files.createDirectories(in.resolve("Opps"));
        AuditConfig c = load(MINIMAL).withInputRoot(in);
        AuditException e = assertThrows(AuditException.class, () -> ConfigLoader.checkInputRoot(c, true));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        // Only leads or opportunities is needed (issue 25); neither is there.
        assertTrue(e.getMessage().startsWith("required input tables not found: leads (" + in.resolve("leads")
                + "), opportunities (" + in.resolve("opportunities") + "). Fix: "), e.getMessage());

        // A table mapped to another folder is looked for there: opportunities alone is enough.
        Path yaml = dir.resolve("mapped.yaml");
        Files.writeString(yaml, "source:\n  root: " + in + "\n  tables:\n    opportunities: {path: Opps}\n");
        ConfigLoader.checkInputRoot(ConfigLoader.load(yaml), false);
    }

    @Test
    void aMissingInputDirectoryNamesTheKeyOrTheOption() throws Exception {
        AuditConfig c = load("source:\n  root: " + dir.resolve("absent") + "\n");
        AuditException fromConfig = assertThrows(AuditException.class, () -> ConfigLoader.checkInputRoot(c, false));
        assertTrue(fromConfig.getMessage().contains("'source.root'"), fromConfig.getMessage());
        AuditException fromOption = assertThrows(AuditException.class, () -> ConfigLoader.checkInputRoot(c, true));
        assertTrue(fromOption.getMessage().contains("'--input'"), fromOption.getMessage());
    }
}
