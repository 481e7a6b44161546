package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contact masking in quarantine: every address form, on the key too, in bounded time per row. */
class ContactMaskingTest {
    @TempDir
    Path dir;

    /** The pattern as Spark's regexp_replace applies it (java.util.regex, replaceAll). */
    private static String mask(String text) {
        return Pattern.compile(ContractEnforcer.LOCAL_PART).matcher(text).replaceAll("***@");
    }

    @Test
    void everyAddressFormLosesItsLocalPartAndKeepsItsDomain() {
        assertEquals("{\"email\":\"***@example.com\"}", mask("{\"email\":\"bob.smith+x@example.com\"}"));
        assertEquals("{\"e\":\"***@beispiel.example\"}", mask("{\"e\":\"jürgen.müller@beispiel.example\"}"));
        assertEquals("write to ***@localhost now", mask("write to eve@localhost now"));
        // A quoted local part as JSON escapes it, as CSV doubles its quotes, and bare.
        assertEquals("{\"e\":\"***@example.com\"}", mask("{\"e\":\"\\\"john doe\\\"@example.com\"}"));
        assertEquals("L1,\"***@example.com\",x", mask("L1,\"\"\"john doe\"\"@example.com\",x"));
        assertEquals("<***@example.com>", mask("<\"john doe\"@example.com>"));
        assertEquals("mailto:***@[192.0.2.1]", mask("mailto:o'brien@[192.0.2.1]"));
        assertEquals("a|***@x.org", mask("a|ann@x.org"));
        // Not addresses: a handle, a bare at sign, text without one.
        assertEquals("ping @team at 10@ noon", mask("ping @team at 10@ noon"));
    }

    @Test
    void maskingIsLinearOnALongRunWithoutAnAtSign() {
        // The old pattern tried a match at each of the 2 M starting points of one run: ~2e12 steps.
        String longRun = "a".repeat(2_000_000) + " b@c";
        long started = System.nanoTime();
        String masked = mask(longRun);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(masked.endsWith(" ***@c"), masked.substring(masked.length() - 10));
        assertTrue(millis < 2_000, "2 MB masked in " + millis + " ms");
    }

    @Test
    void aTenMegabyteFieldInARejectedRowIsCutAndMaskedInSeconds() throws Exception {
        // Row 1 keeps the contract; row 2 has a bad timestamp, an address as its key and a
        // 10 MB company name made of address-like characters (the shape that hung the old pattern).
        String huge = "x.".repeat(5 * 1024 * 1024);
        String csv = "lead_id,created_at,company\n"
                + "L1,2026-01-05T10:00:00Z,Acme\n"
                + "jane.doe@gamma.org,yesterday," + huge + "@evil.example\n";
        Files.createDirectories(dir.resolve("leads"));
        Files.writeString(dir.resolve("leads/part-0.csv"), csv);
        SourceSettings settings = new SourceSettings(SourceType.LOCAL, dir, FileFormat.CSV,
                Map.of(CanonicalTable.LEADS, new TableMapping("leads", Map.of())), null);
        Dataset<Row> raw = new LocalFileSource(SharedSpark.get(), settings).read(CanonicalTable.LEADS).orElseThrow();

        long started = System.nanoTime();
        Row q = ContractEnforcer.quarantined(CanonicalTable.LEADS,
                ContractEnforcer.check(CanonicalTable.LEADS, raw, new TableMapping("leads", Map.of()), "test"))
                .first();
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        System.out.println("10 MB rejected row quarantined in " + seconds + " s");

        // The old pattern ran for over 10 minutes on this row; a shared 2-core machine needs some margin.
        assertTrue(seconds < 60, "finished in " + seconds + " s");
        assertEquals("***@gamma.org", q.getAs(Quarantine.ROW_KEY));
        String record = q.getAs(Quarantine.RAW_RECORD);
        assertFalse(record.contains("jane.doe"), "the key inside the record is masked too");
        // The company value is one 10 MB local part (x.x.x...@evil.example): the cut goes through
        // it, so its first 4,096 characters are masked whole, then how long it was (10,485,760 + 13).
        assertTrue(record.contains("\"company\":\"***...[cut at 4096 of 10485773 characters]\""), record);
        assertTrue(record.length() < 4096 + 400, "record of " + record.length() + " characters");
    }

    /** A value cut at the cap where its address starts {@code kept} characters before the cut, as stored. */
    private static String storedCut(String address, int kept) {
        int start = Quarantine.RAW_VALUE_CAP - kept;
        String filler = "ab ".repeat(start / 3 + 1).substring(0, start - 1) + " ";
        String value = filler + address + " and more text after it" + " z".repeat(100);
        return SharedSpark.get().range(1).select(ContractEnforcer.maskContacts(ContractEnforcer.capped(
                org.apache.spark.sql.functions.lit(value))).as("v")).first().getString(0);
    }

    @Test
    void aCutThroughAnAddressLeaksNoPartOfIt() {
        // Cut inside the local part, right after the at sign (the masking pattern needs a domain
        // to see an address), inside the domain, and inside a quoted local part.
        for (int kept : new int[] {1, 4, 8, 9, 10, 12}) {
            String stored = storedCut("jane.doe@gamma.org", kept);
            assertTrue(stored.contains("...[cut at 4096 of "), stored.substring(stored.length() - 60));
            for (String part : new String[] {"jane", "doe", "ane.", "e.d"}) {
                assertFalse(stored.contains(part), kept + " kept: " + part + " in " + stored.substring(4000));
            }
        }
        for (int kept : new int[] {2, 6, 9, 10, 11}) {
            String stored = storedCut("\"john doe\"@example.com", kept);
            for (String part : new String[] {"john", "doe", "ohn", "jo"}) {
                assertFalse(stored.contains(part), kept + " kept: " + part + " in " + stored.substring(4000));
            }
        }
        // A cut that ends after whole words keeps them: only the token it went through is masked.
        String words = storedCut("jane.doe@gamma.org", 20);
        assertTrue(words.contains(" ***@gamma.org ***...[cut at"), words.substring(4000));
    }
}
