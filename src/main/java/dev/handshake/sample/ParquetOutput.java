package dev.handshake.sample;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.model.CanonicalTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes generated tables so that the same seed gives byte-identical files: Spark's part files
 * (named with a random job id) are renamed by partition order to part-00000.snappy.parquet, ...,
 * their footers are made canonical, and the checksum and _SUCCESS files are removed.
 */
final class ParquetOutput {
    static final String MANIFEST = "manifest.json";
    private static final String PART_PREFIX = "part-";
    private static final String PART_SUFFIX = ".snappy.parquet";

    private final Path root;

    ParquetOutput(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /**
     * Empties (or creates) the output root. Refuses a directory holding anything a generator did
     * not write, so a mistyped --out can never wipe unrelated files.
     */
    void prepare() {
        try {
            if (Files.exists(root)) {
                if (!Files.isDirectory(root)) {
                    throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, root
                            + " is a file, not a folder. Fix: give a new or empty folder for the sample data");
                }
                Set<String> ours = Stream.concat(Stream.of(MANIFEST),
                        Stream.of(CanonicalTable.values()).map(CanonicalTable::tableName)).collect(Collectors.toSet());
                List<String> foreign;
                try (Stream<Path> entries = Files.list(root)) {
                    foreign = entries.map(p -> p.getFileName().toString()).filter(n -> !ours.contains(n)).sorted()
                            .collect(Collectors.toList());
                }
                if (!foreign.isEmpty()) {
                    throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, root
                            + " already holds files the sample generator did not write ("
                            + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                            + (foreign.size() > 5 ? ", ..." : "") + "), so it is left as it is. Fix: give a new or "
                            + "empty folder, or one an earlier generate wrote (that one is replaced)");
                }
                deleteRecursively(root);
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + root, e);
        }
    }

    /** Writes one table and returns the number of part files. */
    int write(CanonicalTable table, Dataset<Row> rows) {
        Path dir = dir(table);
        rows.write().option("compression", "snappy").parquet(dir.toAbsolutePath().toString());
        try {
            List<Path> parts = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.comparing(Path::toString))::iterator) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(PART_PREFIX) && name.endsWith(".parquet")) {
                        parts.add(p);
                    } else {
                        Files.delete(p);
                    }
                }
            }
            // Spark names parts part-<partition>-<job uuid>...: sorted by name is partition order.
            for (int i = 0; i < parts.size(); i++) {
                Path target = dir.resolve(String.format("%s%05d%s", PART_PREFIX, i, PART_SUFFIX));
                Files.move(parts.get(i), target);
                sortFooterEncodings(target);
            }
            return parts.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish writing " + dir, e);
        }
    }

    /**
     * parquet-mr lists a column chunk's encodings in HashSet order, and enum hash codes differ
     * from one JVM run to the next, so two runs write the same data with footers that differ in
     * that order alone. Sorting each list makes the footer canonical; the Thrift compact encoding
     * of a reordered list has the same length, so the footer is rewritten in place.
     */
    static void sortFooterEncodings(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - 8);
            int length = tail.getInt(0);
            long start = size - 8 - length;
            ByteBuffer footer = ByteBuffer.allocate(length);
            channel.read(footer, start);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
            for (RowGroup group : meta.getRow_groups()) {
                for (ColumnChunk chunk : group.getColumns()) {
                    List<Encoding> encodings = new ArrayList<>(chunk.getMeta_data().getEncodings());
                    encodings.sort(Comparator.comparingInt(Encoding::getValue));
                    chunk.getMeta_data().setEncodings(encodings);
                }
            }
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream(length);
            Util.writeFileMetaData(meta, rewritten);
            if (rewritten.size() != length) {
                throw new IllegalStateException("Parquet footer of " + file + " changed length: " + length + " -> "
                        + rewritten.size());
            }
            channel.write(ByteBuffer.wrap(rewritten.toByteArray()), start);
        }
    }

    Path dir(CanonicalTable table) {
        return root.resolve(table.tableName());
    }

    Path manifest() {
        return root.resolve(MANIFEST);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
