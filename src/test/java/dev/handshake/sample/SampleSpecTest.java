package dev.handshake.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleSpecTest {
    @TempDir
    Path tmp;

    @Test
    void leadsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SampleSpec(tmp, 0, 1));
        assertTrue(e.getMessage().contains("Invalid leads: 0"), e.getMessage());
    }

    @Test
    void asOfDefaultsToTheShippedDate() {
        assertEquals(SampleSpec.DEFAULT_AS_OF, new SampleSpec(tmp, 10, 1).asOf());
    }

    @Test
    void partitionsAreFixedByLeadCount() {
        // ceil(N / 500k), at least 1: never the machine's core count.
        assertEquals(1, new SampleSpec(tmp, 1, 1).partitions());
        assertEquals(1, new SampleSpec(tmp, 500_000, 1).partitions());
        assertEquals(2, new SampleSpec(tmp, 500_001, 1).partitions());
        assertEquals(20, new SampleSpec(tmp, 10_000_000, 1).partitions());
    }

    @Test
    void anOutputDirectoryWithForeignFilesIsNotReplaced() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "keep me");
        ParquetOutput out = new ParquetOutput(tmp);
        dev.handshake.AuditException e = assertThrows(dev.handshake.AuditException.class, out::prepare);
        assertEquals(dev.handshake.AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertTrue(e.getMessage().contains("(notes.txt)") && e.getMessage().contains("Fix: give a new or empty folder"),
                e.getMessage());
        assertTrue(Files.exists(tmp.resolve("notes.txt")));
    }

    @Test
    void aPreviousSampleIsReplaced() throws IOException {
        Files.createDirectories(tmp.resolve(CanonicalTable.LEADS.tableName()));
        Files.writeString(tmp.resolve(CanonicalTable.LEADS.tableName()).resolve("part-00000.snappy.parquet"), "old");
        Files.writeString(tmp.resolve(ParquetOutput.MANIFEST), "{}");
        new ParquetOutput(tmp).prepare();
        assertTrue(Files.isDirectory(tmp));
        assertFalse(Files.exists(tmp.resolve(ParquetOutput.MANIFEST)));
        assertFalse(Files.exists(tmp.resolve(CanonicalTable.LEADS.tableName())));
    }
}
