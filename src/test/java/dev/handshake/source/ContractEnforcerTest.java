package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractEnforcerTest {
    @TempDir
    Path dir;

    private static final String HEADER =
            "lead_id,created_at,company,company_size,email_domain,is_deleted\n";

    /** 15 lines: 5 keep the contract, 10 break it, each for a reason written beside it. */
    private static final String LEADS = HEADER
            + "L1,2026-01-05T10:00:00Z,Acme,120,acme.com,false\n"        // good
            + ",2026-01-05T10:00:00Z,Acme,120,acme.com,false\n"          // no key
            + "L3,yesterday,Acme,120,bob@example.com,false\n"            // bad timestamp
            + "L4,2026-01-05T10:00:00Z,Acme,lots,acme.com,false\n"       // bad int
            + "L5,,Acme,120,acme.com,false\n"                            // no created_at
            + "L6,2026-01-05T10:00:00Z,Acme,120,acme.com,false\n"        // conflicting copies
            + "L6,2026-01-05T10:00:00Z,Acme Corp,120,acme.com,false\n"
            + "L7,2026-01-06T10:00:00Z,Beta,10,beta.io,false\n"          // identical copies
            + "L7,2026-01-06T10:00:00Z,Beta,10,beta.io,false\n"
            + "L8,2026-01-05T10:00:00Z,Acme,120,acme.com,false,extra\n"  // malformed line
            + "L9,2026-01-05T10:00:00Z,Gamma,5,jane.doe@gamma.org,false\n" // address -> domain
            + "L10,2026-01-05T10:00:00+02:00,Delta,5,delta.de,false\n"  // offset -> 08:00Z
            + "L11,2026-01-05 10:00:00,Eps,5,eps.fr,\n"                 // zone-less = UTC
            + "L12,2026-01-05T10:00:00Z,Zeta,5,zeta.com,maybe\n"        // bad boolean
            + "L13,,Eta,x,eta.com,false\n";                             // two problems

    private Dataset<Row> checkedLeads(String csv, Map<String, String> columns) throws Exception {
        return ContractEnforcer.check(CanonicalTable.LEADS, rawLeads(csv, columns), new TableMapping("leads", columns),
                "test");
    }

    private Dataset<Row> rawLeads(String csv, Map<String, String> columns) throws Exception {
        Files.createDirectories(dir.resolve("leads"));
        Files.writeString(dir.resolve("leads/part-0.csv"), csv);
        SourceSettings settings = new SourceSettings(SourceType.LOCAL, dir, FileFormat.CSV,
                Map.of(CanonicalTable.LEADS, new TableMapping("leads", columns)));
        return new LocalFileSource(SharedSpark.get(), settings).read(CanonicalTable.LEADS).orElseThrow();
    }

    private static List<String> sorted(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    @Test
    void everyKindOfBadRowIsQuarantinedWithItsReasonAndNoRowIsLost() throws Exception {
        Dataset<Row> checked = checkedLeads(LEADS, Map.of());
        List<Row> accepted = ContractEnforcer.accepted(CanonicalTable.LEADS, checked).collectAsList();
        List<Row> quarantined = ContractEnforcer.quarantined(CanonicalTable.LEADS, checked).collectAsList();

        assertEquals(15, accepted.size() + quarantined.size(), "read = accepted + quarantined");
        assertEquals(List.of("L1", "L10", "L11", "L7", "L9"),
                accepted.stream().map(r -> r.<String>getAs("lead_id")).sorted().toList());

        Map<String, String> reasons = new HashMap<>();
        for (Row r : quarantined) {
            String key = r.getAs(Quarantine.ROW_KEY);
            reasons.merge(key == null ? "<no key>" : key, r.getAs(Quarantine.REASON), (a, b) -> a + " | " + b);
            assertEquals("leads", r.getAs(Quarantine.SOURCE_TABLE));
        }
        assertEquals("missing required value: lead_id", reasons.get("<no key>"));
        assertEquals("invalid timestamp: created_at", reasons.get("L3"));
        assertEquals("invalid int: company_size", reasons.get("L4"));
        assertEquals("missing required value: created_at", reasons.get("L5"));
        assertEquals("duplicate key with conflicting values: lead_id | duplicate key with conflicting values: lead_id",
                reasons.get("L6"));
        assertEquals("duplicate key, identical copy of an accepted row: lead_id", reasons.get("L7"));
        assertEquals("malformed line: wrong number of fields or broken quoting", reasons.get("L8"));
        assertEquals("invalid boolean: is_deleted", reasons.get("L12"));
        assertEquals("missing required value: created_at; invalid int: company_size", reasons.get("L13"));
        assertEquals(10, quarantined.size());
    }

    @Test
    void timestampsAreUtcInstantsAndAddressesKeepOnlyTheirDomain() throws Exception {
        Map<String, Row> byId = ContractEnforcer.accepted(CanonicalTable.LEADS, checkedLeads(LEADS, Map.of()))
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("lead_id"), r -> r));
        assertEquals(Timestamp.from(Instant.parse("2026-01-05T08:00:00Z")), byId.get("L10").getAs("created_at"));
        assertEquals(Timestamp.from(Instant.parse("2026-01-05T10:00:00Z")), byId.get("L11").getAs("created_at"));
        assertEquals("gamma.org", byId.get("L9").getAs("email_domain"));
        assertEquals(120, (int) byId.get("L1").getAs("company_size"));
    }

    @Test
    void quarantinedRecordsCarryRawValuesWithContactDataMasked() throws Exception {
        String raw = ContractEnforcer.quarantined(CanonicalTable.LEADS, checkedLeads(LEADS, Map.of()))
                .filter("row_key = 'L3'").first().getAs(Quarantine.RAW_RECORD);
        assertTrue(raw.contains("\"created_at\":\"yesterday\""), raw);
        assertTrue(raw.contains("***@example.com"), raw);
        assertFalse(raw.contains("bob@"), raw);
    }

    @Test
    void duplicatesAreFoundAmongManyUniqueKeysAndShowTheirRecordAsParsed() throws Exception {
        // 2,000 unique keys around the two duplicated ones: the key check must pick out exactly
        // the copies of L6 (both, they disagree) and one copy of L7 (identical), nothing else.
        StringBuilder csv = new StringBuilder(LEADS);
        for (int i = 0; i < 2000; i++) {
            csv.append("U").append(i).append(",2026-01-07T00:00:00Z,Co").append(i).append(",1,co.com,false\n");
        }
        Dataset<Row> checked = checkedLeads(csv.toString(), Map.of());
        List<Row> quarantined = ContractEnforcer.quarantined(CanonicalTable.LEADS, checked)
                .filter("reason like 'duplicate key%'").orderBy("raw_record").collectAsList();
        assertEquals(List.of("L6", "L6", "L7"), quarantined.stream().map(r -> r.<String>getAs(Quarantine.ROW_KEY)).toList());
        // A duplicate passed every row check, so its record is its parsed values (timestamps in
        // UTC); ordered by that record, "Acme Corp" sorts before "Acme" (a space before the quote).
        String first = quarantined.get(0).getAs(Quarantine.RAW_RECORD);
        assertTrue(first.contains("\"lead_id\":\"L6\"") && first.contains("\"company\":\"Acme Corp\"")
                && first.contains("\"created_at\":\"2026-01-05 10:00:00\"") && first.contains("\"company_size\":\"120\""), first);
        assertTrue(quarantined.get(1).<String>getAs(Quarantine.RAW_RECORD).contains("\"company\":\"Acme\""));
        assertTrue(quarantined.get(2).<String>getAs(Quarantine.RAW_RECORD).contains("\"company\":\"Beta\""));
        assertEquals(2005, ContractEnforcer.accepted(CanonicalTable.LEADS, checked).count());
    }

    @Test
    void withNoRepeatedKeyTheKeyCheckChangesNoRow() throws Exception {
        // Every row-check failure of the fixture, no key twice (the second copies of L6 and L7
        // dropped): the job skips the key check's join when no key repeats, which is only right
        // if the join would leave every accepted and every quarantined row as it is.
        String csv = LEADS.replace("L6,2026-01-05T10:00:00Z,Acme Corp,120,acme.com,false\n", "")
                .replaceFirst("(L7,[^\n]*\n)\\1", "$1");
        Dataset<Row> rows = ContractEnforcer.rowChecks(CanonicalTable.LEADS, rawLeads(csv, Map.of()),
                new TableMapping("leads", Map.of()), "test");
        Dataset<Row> duplicates = ContractEnforcer.duplicateKeys(CanonicalTable.LEADS, rows);
        assertEquals(0, duplicates.count());
        Dataset<Row> keyChecked = ContractEnforcer.withDuplicates(CanonicalTable.LEADS, rows, duplicates);
        List<String> quarantined = sorted(ContractEnforcer.quarantined(CanonicalTable.LEADS, rows));
        assertEquals(7, quarantined.size(), "no key, bad timestamp, bad int, no created_at, malformed, "
                + "bad boolean, two problems; no copy of L6 or L7");
        assertEquals(sorted(ContractEnforcer.quarantined(CanonicalTable.LEADS, keyChecked)), quarantined);
        List<String> accepted = sorted(ContractEnforcer.accepted(CanonicalTable.LEADS, rows));
        assertEquals(6, accepted.size(), "L1, L6, L7, L9, L10, L11");
        assertEquals(sorted(ContractEnforcer.accepted(CanonicalTable.LEADS, keyChecked)), accepted);
    }

    @Test
    void sourceColumnNamesMapOntoCanonicalOnes() throws Exception {
        String csv = "Id,CreatedDate\nA1,2026-02-01T00:00:00Z\n";
        List<Row> accepted = ContractEnforcer.accepted(CanonicalTable.LEADS,
                checkedLeads(csv, Map.of("lead_id", "Id", "created_at", "CreatedDate"))).collectAsList();
        assertEquals(1, accepted.size());
        assertEquals("A1", accepted.get(0).getAs("lead_id"));
    }

    @Test
    void aMissingRequiredColumnStopsTheRunNamingTheMappingKey() {
        AuditException e = assertThrows(AuditException.class,
                () -> checkedLeads("Id,company\nA1,Acme\n", Map.of("lead_id", "Id")));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertTrue(e.getMessage().contains("source.tables.leads.columns.created_at"), e.getMessage());
    }
}
