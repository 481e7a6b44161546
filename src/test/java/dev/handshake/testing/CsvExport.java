package dev.handshake.testing;

import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.source.LocalFileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A CSV export as a CRM leaves it: a folder per table with one file, read with default settings. */
public record CsvExport(Path dir) {
    /** Writes {@code csv} (header first) as the table's one file. */
    public CsvExport write(String table, String csv) {
        try {
            Files.createDirectories(dir.resolve(table));
            Files.writeString(dir.resolve(table).resolve("part-0.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public SourceSettings settings() {
        return new SourceSettings(SourceType.LOCAL, dir, FileFormat.CSV, Map.of());
    }

    public LocalFileSource source() {
        return new LocalFileSource(SharedSpark.get(), settings());
    }
}
