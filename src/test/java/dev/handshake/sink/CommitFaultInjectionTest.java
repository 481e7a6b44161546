package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the writer (simulated: an error thrown from the commit protocol's named steps, after
 * which the store is abandoned as a dead process leaves it) at every step of a commit, and checks
 * what a kill must never break: the night before stays readable and unchanged, the "previous
 * night" lookup still finds a complete night, and the next run for the night ends with exactly
 * the tables a clean run writes, every run id in them has its history row, and no staging or
 * trash is left.
 */
class CommitFaultInjectionTest {
    private static final LocalDate PREVIOUS = LocalDate.parse("2026-03-30");
    private static final LocalDate NIGHT = LocalDate.parse("2026-03-31");
    private static final LocalDate NEXT = LocalDate.parse("2026-04-01");
    private static final String METRICS = "audit_metric_comparison";
    private static final String RECON = "audit_reconciliation";
    private static final String REPORTS = "reports";

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.get();

    /** Stands for the process dying at that step: nothing after it runs, nothing is cleaned up. */
    private static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed(String step) {
            super(step);
        }
    }

    /**
     * One night's result, distinct per {@code version}: metrics rows (metric, value) with value =
     * version * 10 + i for i = 0..2, reconciliation rows 0..version+2, one report file.
     */
    private void writeNight(Path root, String runId, LocalDate asOf, int version, OutputStore.FaultPoint fault) {
        OutputStore store = new OutputStore(spark, root.toString(), runId, asOf, fault);
        store.recover();
        store.stage(METRICS, spark.range(3).selectExpr("concat('m', id) as metric",
                "id + " + (version * 10) + " as value"), true, "metric");
        store.stage(RECON, spark.range(version + 3).toDF("opportunity"), false, "opportunity");
        store.stageFiles(REPORTS, Map.of("summary.csv", ("version," + version + "\n").getBytes()));
        store.commit(new RunRecord(runId, Instant.now(), Instant.now(), RunRecord.SUCCEEDED, "hash", "dev",
                List.of(), List.of(), List.of(), null, null).toDataset(spark));
    }

    private List<String> table(Path root, String table, LocalDate asOf) {
        return spark.read().parquet(root.resolve(table).resolve("as_of=" + asOf).toString()).drop("run_id")
                .collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private List<String> runIds(Path root, String table, LocalDate asOf) {
        return spark.read().parquet(root.resolve(table).resolve("as_of=" + asOf).toString())
                .select("run_id").distinct().collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    }

    private List<String> succeededRuns(Path root, LocalDate asOf) {
        return spark.read().parquet(root.resolve(OutputStore.RUN_TABLE).toString())
                .filter("status = 'SUCCEEDED' and as_of = '" + asOf + "'").select("run_id")
                .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    }

    private Optional<PreviousNight> previousNight(Path root, LocalDate from) {
        return new OutputStore(spark, root.toString(), "lookup", from).previousSucceeded(METRICS, RECON);
    }

    private String report(Path root) throws Exception {
        return Files.readString(root.resolve(REPORTS).resolve("as_of=" + NIGHT).resolve("summary.csv"));
    }

    /** The steps a commit passes through, from a clean run (the list the kills are taken from). */
    private List<String> protocolSteps() {
        List<String> steps = new ArrayList<>();
        Path root = dir.resolve("steps");
        writeNight(root, "clean-1", NIGHT, 1, step -> { });
        writeNight(root, "clean-2", NIGHT, 2, steps::add);
        return steps;
    }

    @Test
    void theProtocolHasTheStepsTheKillsAreMeantToHit() {
        List<String> steps = protocolSteps();
        // Staging (2 tables), the journal in three states, each entry swapped (the run row has no
        // old directory to move out), the trash removed.
        assertEquals(List.of("staged " + METRICS, "staged " + RECON, "before journal", "journal created, empty",
                "journal written, not renamed", "journal committed",
                "swap " + METRICS + ": old moved out", "swap " + METRICS + ": new moved in",
                "swap " + RECON + ": old moved out", "swap " + RECON + ": new moved in",
                "swap " + REPORTS + ": old moved out", "swap " + REPORTS + ": new moved in",
                "swap _run: new moved in", "trash deleted"), steps);
    }

    @TestFactory
    Stream<DynamicTest> aKillAtAnyStepOfACommitIsRecoveredByTheNextRun() {
        // Reference: a clean run of version 2 for NIGHT, and version 1 for PREVIOUS, never killed.
        Path clean = dir.resolve("clean");
        writeNight(clean, "ref-p", PREVIOUS, 1, step -> { });
        writeNight(clean, "ref-n", NIGHT, 2, step -> { });
        List<String> steps = protocolSteps();
        return steps.stream().map(kill -> DynamicTest.dynamicTest("killed at: " + kill, () -> {
            Path root = dir.resolve("k" + steps.indexOf(kill));
            writeNight(root, "p-1", PREVIOUS, 1, step -> { });
            writeNight(root, "n-1", NIGHT, 0, step -> { });
            List<String> previousBefore = table(root, METRICS, PREVIOUS);

            assertThrows(Killed.class, () -> writeNight(root, "n-2", NIGHT, 2, step -> {
                if (step.equals(kill)) {
                    throw new Killed(step);
                }
            }));

            // The night before is untouched and readable; the lookup never comes back empty.
            assertEquals(previousBefore, table(root, METRICS, PREVIOUS));
            assertEquals(table(clean, RECON, PREVIOUS), table(root, RECON, PREVIOUS));
            Optional<PreviousNight> previous = previousNight(root, NEXT);
            assertTrue(previous.isPresent(), "a complete night is always found");
            LocalDate found = previous.get().asOf();
            boolean journaled = steps.indexOf(kill) >= steps.indexOf("journal committed");
            // Until the journal is renamed NIGHT's tables are n-1's (complete); after it, NIGHT is a
            // mix until recovered, so the lookup passes it over for PREVIOUS.
            assertEquals(journaled ? PREVIOUS : NIGHT, found, "the night drift would compare with");

            // The next run for the night: first its recovery alone, then its own commit.
            new OutputStore(spark, root.toString(), "n-3", NIGHT).recover();
            for (String t : List.of(METRICS, RECON)) {
                for (String runId : runIds(root, t, NIGHT)) {
                    assertTrue(succeededRuns(root, NIGHT).contains(runId), t + " carries run " + runId
                            + " with no history row");
                }
                assertEquals(journaled ? List.of("n-2") : List.of("n-1"), runIds(root, t, NIGHT),
                        "a journaled commit is rolled forward, anything before it discarded");
            }
            assertEquals(NIGHT, previousNight(root, NEXT).orElseThrow().asOf());
            writeNight(root, "n-3", NIGHT, 2, step -> { });

            for (String t : List.of(METRICS, RECON)) {
                assertEquals(table(clean, t, NIGHT), table(root, t, NIGHT), t);
                assertEquals(List.of("n-3"), runIds(root, t, NIGHT), t);
            }
            assertEquals("version,2\n", report(root));
            assertTrue(succeededRuns(root, NIGHT).contains("n-3"));
            assertEquals(List.of("n-3", NIGHT.toString()),
                    List.of(previousNight(root, NEXT).orElseThrow().runId(),
                            previousNight(root, NEXT).orElseThrow().asOf().toString()));
            assertFalse(Files.exists(root.resolve("_staging/as_of=" + NIGHT)) && Files.list(
                    root.resolve("_staging/as_of=" + NIGHT)).findAny().isPresent(), "staging is cleaned");
            assertFalse(Files.exists(root.resolve("_trash")) && Files.list(root.resolve("_trash")).findAny()
                    .isPresent(), "trash is cleaned");
        }));
    }

    @Test
    void anEmptyJournalLeftByAnOlderVersionIsDiscardedWithAWarning() throws Exception {
        Path root = dir.resolve("legacy");
        writeNight(root, "n-1", NIGHT, 1, step -> { });
        // The state the create-then-write journal left: staged tables beside a 0-byte journal.
        Path staged = root.resolve("_staging/as_of=" + NIGHT + "/n-2");
        Files.createDirectories(staged.resolve(METRICS));
        Files.createFile(staged.resolve(OutputStore.JOURNAL));

        writeNight(root, "n-3", NIGHT, 2, step -> { });
        assertEquals(List.of("n-3"), runIds(root, METRICS, NIGHT));
        assertFalse(Files.exists(staged));
    }

    @Test
    void aFailedRunKillsNothingAndItsRecordAsideIsDiscardedIfKilled() throws Exception {
        Path root = dir.resolve("failed");
        writeNight(root, "n-1", NIGHT, 1, step -> { });
        // A failed run's history row written aside, killed before its rename.
        Path aside = root.resolve("_staging/as_of=" + NIGHT + "/record-n-2");
        Files.createDirectories(aside);
        new OutputStore(spark, root.toString(), "n-3", NIGHT).recover();
        assertFalse(Files.exists(aside));
        assertEquals(List.of("n-1"), runIds(root, METRICS, NIGHT));
    }
}
