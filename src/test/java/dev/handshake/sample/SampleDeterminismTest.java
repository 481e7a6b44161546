package dev.handshake.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.source.CanonicalTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SampleDeterminismTest {

    @Test
    void sameSeedGivesByteIdenticalFilesAndManifest() throws IOException {
        SampleFixture.Generated a = SampleFixture.main();
        SampleFixture.Generated b = SampleFixture.again();
        List<Path> filesA = relativeFiles(a.dir());
        List<Path> filesB = relativeFiles(b.dir());
        assertEquals(filesA, filesB);
        // 12 tables with at least one part file each, plus the manifest.
        assertTrue(filesA.size() >= CanonicalTable.values().length + 1, filesA.toString());
        for (Path f : filesA) {
            assertArrayEquals(Files.readAllBytes(a.dir().resolve(f)), Files.readAllBytes(b.dir().resolve(f)),
                    "bytes differ: " + f);
        }
        assertEquals(a.manifest(), b.manifest());
    }

    @Test
    void onlyRenamedPartFilesAndTheManifestAreLeft() throws IOException {
        for (Path f : relativeFiles(SampleFixture.main().dir())) {
            String name = f.getFileName().toString();
            assertTrue(name.equals(ParquetOutput.MANIFEST) || name.matches("part-\\d{5}\\.snappy\\.parquet"), name);
        }
    }

    @Test
    void manifestReadsBackAsWritten() {
        SampleFixture.Generated a = SampleFixture.main();
        assertEquals(a.manifest(), Manifest.read(a.dir().resolve(ParquetOutput.MANIFEST)));
    }

    @Test
    void anotherSeedGivesOtherData() throws IOException {
        SampleFixture.Generated a = SampleFixture.main();
        SampleFixture.Generated c = SampleFixture.otherSeed();
        Path part = Path.of("leads", "part-00000.snappy.parquet");
        assertNotEquals(Files.mismatch(a.dir().resolve(part), c.dir().resolve(part)), -1L);
        // Same ids (they are numbered), but the rows behind them differ.
        Dataset<Row> leadsA = SampleQueries.table(a, CanonicalTable.LEADS).select("lead_id", "created_at", "segment");
        Dataset<Row> leadsC = SampleQueries.table(c, CanonicalTable.LEADS).select("lead_id", "created_at", "segment");
        long differing = leadsA.except(leadsC).count();
        assertTrue(differing > SampleFixture.LEADS / 2, "rows differing: " + differing);
        assertNotEquals(a.manifest().counts(), c.manifest().counts());
    }

    private static List<Path> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().collect(Collectors.toList());
        }
    }
}
