package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking over a lock: a dead process on this host at once, and one breaker at a time. */
class RunLockTest {
    private static final LocalDate NIGHT = LocalDate.parse("2026-03-31");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.get();

    /** The pid of a process of this host that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private RunLock take(RunLock.Owner owner, boolean breakStale) {
        return RunLock.acquire(spark, dir.toString(), NIGHT, owner, HOUR, breakStale);
    }

    @Test
    void aLockWhoseProcessIsGoneFromThisHostIsBrokenAtOnceWhenAsked() throws Exception {
        String host = RunLock.Owner.of("me", Instant.now()).host();
        // Taken a minute ago, far below the hour's age limit, by a process that no longer runs.
        take(new RunLock.Owner(host, deadPid(), "dead-run", Instant.now().minusSeconds(60).toString()), false);

        AuditException refused = assertThrows(AuditException.class,
                () -> take(RunLock.Owner.of("next", Instant.now()), false));
        assertEquals(AuditException.Code.LOCKED, refused.code());
        assertTrue(refused.getMessage().contains("no longer running on this host: rerun with --break-stale-lock"),
                refused.getMessage());

        try (RunLock lock = take(RunLock.Owner.of("next", Instant.now()), true)) {
            assertEquals("next", lock.owner().runId());
        }
    }

    @Test
    void aLiveLockOfThisHostIsNeverBrokenBeforeItsAge() {
        try (RunLock held = take(RunLock.Owner.of("live", Instant.now()), false)) {
            AuditException e = assertThrows(AuditException.class,
                    () -> take(RunLock.Owner.of("other", Instant.now()), true));
            assertTrue(e.getMessage().contains("run live"), e.getMessage());
        }
    }

    @Test
    void twoRunsBreakingTheSameStaleLockAtOnceNeverBothGo() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                Path root = dir.resolve("r" + round);
                RunLock.acquire(spark, root.toString(), NIGHT, new RunLock.Owner("gone-host", 1, "stale",
                        Instant.now().minus(Duration.ofHours(3)).toString()), HOUR, false);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<RunLock>> tries = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    String runId = "breaker-" + t;
                    tries.add(pool.submit(() -> {
                        start.await();
                        try {
                            return RunLock.acquire(spark, root.toString(), NIGHT,
                                    RunLock.Owner.of(runId, Instant.now()), HOUR, true);
                        } catch (AuditException e) {
                            return null;
                        }
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<RunLock> f : tries) {
                    if (f.get() != null) {
                        winners++;
                    }
                }
                assertEquals(1, winners, "round " + round + ": exactly one run takes the broken lock");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
