package dev.handshake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.source.CanonicalTable;
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
    void defaultsApplyToAMinimalFile() throws Exception {
        AuditConfig c = load(MINIMAL);
        assertEquals(365, c.lookbackDays());
        assertEquals(8, c.spark().shufflePartitions());
        assertEquals(5.0, c.maxQuarantinedPct());
        assertEquals("leads", c.source().mapping(CanonicalTable.LEADS).path());
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
                Arguments.of("bad partitions", MINIMAL + "spark:\n  shuffle_partitions: 0\n", "'spark.shuffle_partitions'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void everyConfigurationErrorNamesItsKey(String what, String yaml, String key) {
        AuditException e = assertThrows(AuditException.class, () -> load(yaml));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code(), what);
        assertTrue(e.getMessage().contains(key), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix:") || e.getMessage().contains("must be"), what + ": " + e.getMessage());
    }

    @Test
    void aMissingFileSaysHowToPassOne() {
        AuditException e = assertThrows(AuditException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("--config"), e.getMessage());
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
