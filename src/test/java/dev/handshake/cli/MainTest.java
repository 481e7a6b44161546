package dev.handshake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages users and schedulers rely on (no Spark needed for these). */
// Alone: it swaps System.err and sets a system property the whole JVM reads.
@Isolated
class MainTest {
    @TempDir
    Path dir;

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpSucceedsOnEverySubcommand() {
        assertEquals(0, Main.execute("--help"));
        for (String sub : new String[] {"generate", "validate", "audit", "demo", "bench"}) {
            assertEquals(0, Main.execute(sub, "--help"), sub);
        }
    }

    @Test
    void aBadDateSaysTheFormatWithoutTheParsersException() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.execute("audit", "--config", "conf/local.yaml", "--as-of", "30/06/2026"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("'30/06/2026' is not a date. Fix: write it as YYYY-MM-DD"), err);
        assertTrue(!err.contains("Exception"), err);
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(2, Main.execute("audit", "--config", "conf/local.yaml", "--as-of", "not-a-date"));
        assertEquals(2, Main.execute("audit", "--bogus"));
        assertEquals(2, Main.execute("frobnicate"));
    }

    @Test
    void badConfigurationExitsWithTwoAndNamesTheKeyWithoutAStackTrace() throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: data\nlookback_dayz: 3\n");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.execute("validate", "--config", yaml.toString()));
        assertEquals(2, code[0]);
        assertTrue(err.contains("'lookback_dayz'"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);

        Files.writeString(yaml, "source:\n  root: " + dir.resolve("absent") + "\n");
        err = stderrOf(() -> code[0] = Main.execute("audit", "--config", yaml.toString(), "--as-of", "2026-06-30"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("'source.root'"), err);
    }

    @Test
    void aNightAndARangeAreMutuallyExclusiveAndARangeNeedsBothEndsInOrder() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        String[] base = {"audit", "--config", "conf/local.yaml", "--input", dir.resolve("in").toString()};
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.execute(concat(base, "--as-of", "2026-06-30", "--from",
                "2026-06-01", "--to", "2026-06-02")));
        assertEquals(2, code[0]);
        assertTrue(err.contains("mutually exclusive"), err);
        assertEquals(2, Main.execute(concat(base, "--from", "2026-06-01")));
        assertEquals(2, Main.execute(concat(base, "--fail-on-band", "AMBER")));
        err = stderrOf(() -> code[0] = Main.execute(concat(base, "--from", "2026-06-05", "--to", "2026-06-01")));
        assertEquals(2, code[0]);
        assertTrue(err.contains("--from 2026-06-05 is after --to 2026-06-01"), err);
    }

    @Test
    void anUnknownLogFormatExitsWithTwoNamingTheVariable() {
        System.setProperty("HANDSHAKE_LOG_FORMAT", "xml");
        try {
            int[] code = new int[1];
            String err = stderrOf(() -> code[0] = Main.execute("--help"));
            assertEquals(2, code[0]);
            assertTrue(err.contains("HANDSHAKE_LOG_FORMAT='xml'"), err);
        } finally {
            System.clearProperty("HANDSHAKE_LOG_FORMAT");
        }
        assertEquals(0, Main.execute("--help"));
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
