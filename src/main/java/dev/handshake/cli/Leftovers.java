package dev.handshake.cli;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes the empty working folders a successful run leaves in a local output root
 * ({@code _staging/}, {@code _locks/}, and {@code _trash/} after a rerun replaced a night), so the root holds only tables and reports. A folder
 * is removed only while it is empty (the file system refuses otherwise), so a run starting at the
 * same moment keeps its lock or staged tables; off the local file system nothing is touched.
 */
final class Leftovers {
    private static final List<String> WORKING = List.of("_staging", "_locks", "_trash");

    private Leftovers() {}

    static void removeEmpty(Path outputRoot) {
        if (!Files.isDirectory(outputRoot)) {
            return;
        }
        for (String name : WORKING) {
            Path dir = outputRoot.resolve(name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    deleteIfEmpty(child);
                }
            } catch (IOException e) {
                continue;
            }
            deleteIfEmpty(dir);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            // In use by another run, or a failed run's leftovers kept for inspection.
        } catch (IOException e) {
            // Tidying is a courtesy; the run has succeeded either way.
        }
    }
}
