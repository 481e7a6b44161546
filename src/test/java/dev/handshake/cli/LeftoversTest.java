package dev.handshake.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {
    @TempDir
    Path out;

    @Test
    void emptyWorkingFoldersGoAndAnythingInUseStays() throws Exception {
        Files.createDirectories(out.resolve("_staging/as_of=2026-06-30"));
        Files.createDirectories(out.resolve("_locks"));
        Files.createDirectories(out.resolve("_trash"));
        Files.createDirectories(out.resolve("audit_funnel/as_of=2026-06-30"));
        Leftovers.removeEmpty(out);
        assertFalse(Files.exists(out.resolve("_staging")));
        assertFalse(Files.exists(out.resolve("_locks")));
        assertFalse(Files.exists(out.resolve("_trash")), "left empty by a rerun that replaced a night");
        assertTrue(Files.isDirectory(out.resolve("audit_funnel/as_of=2026-06-30")), "tables are not working folders");

        // Another run's lock and a staged night in progress are left as they are.
        Files.createDirectories(out.resolve("_staging/as_of=2026-07-01/run-1"));
        Files.createDirectories(out.resolve("_locks"));
        Files.writeString(out.resolve("_locks/as_of=2026-07-01"), "run-1");
        Leftovers.removeEmpty(out);
        assertTrue(Files.isDirectory(out.resolve("_staging/as_of=2026-07-01/run-1")));
        assertTrue(Files.exists(out.resolve("_locks/as_of=2026-07-01")));
    }
}
