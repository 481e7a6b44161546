package dev.handshake.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.CanonicalTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
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

    /**
     * Same-JVM runs agree even without this; across JVM runs parquet-mr's encoding order varies
     * (HashSet of enums), so the generator sorts it: every footer must show the sorted order.
     */
    @Test
    void footerEncodingListsAreInCanonicalOrder() throws IOException {
        SampleFixture.Generated a = SampleFixture.main();
        int checked = 0;
        for (Path f : relativeFiles(a.dir())) {
            if (!f.toString().endsWith(".parquet")) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(a.dir().resolve(f));
            int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            FileMetaData meta = Util.readFileMetaData(
                    new ByteArrayInputStream(bytes, bytes.length - 8 - length, length));
            for (RowGroup group : meta.getRow_groups()) {
                for (ColumnChunk chunk : group.getColumns()) {
                    List<Integer> order = chunk.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList();
                    assertEquals(order.stream().sorted().toList(), order, f.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "column chunks checked: " + checked);
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
