package dev.handshake.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.handshake.Steps;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.consistency.RunInvariants;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.CanonicalTable;
import dev.handshake.sink.OutputStore;
import dev.handshake.source.AuditInputs;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stage loop guarantees whatever the stages: declared reads only, and release after the last reader. */
class RunContextTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    private final SparkSession spark = SharedSpark.get();
    /** What happened, in order: "run X" when stage X runs, "release X" when its result is released. */
    private final List<String> events = new ArrayList<>();
    @TempDir
    Path dir;
    private RunContext ctx;
    private OutputStore store;

    record Value(String owner, List<String> events) implements StageResult {
        @Override
        public void release() {
            events.add("release " + owner);
        }
    }

    /** A stage that reads {@code reads} and records when it runs. */
    private abstract class Recording implements AuditStage<Value> {
        private final Set<Class<? extends AuditStage<?>>> reads;

        Recording(Set<Class<? extends AuditStage<?>>> reads) {
            this.reads = reads;
        }

        @Override
        public String name() {
            return getClass().getSimpleName();
        }

        @Override
        public Set<Class<? extends AuditStage<?>>> reads() {
            return reads;
        }

        @Override
        public Value run(RunContext c) {
            events.add("run " + name());
            return new Value(name(), events);
        }
    }

    private final class A extends Recording {
        A() {
            super(Set.of());
        }
    }

    private final class B extends Recording {
        B() {
            super(Set.of(A.class));
        }

        @Override
        public Value run(RunContext c) {
            assertEquals("A", c.result(A.class).owner());
            return super.run(c);
        }
    }

    private final class C extends Recording {
        C() {
            super(Set.of());
        }
    }

    /** Reads A without declaring it. */
    private final class Undeclared extends Recording {
        Undeclared() {
            super(Set.of());
        }

        @Override
        public Value run(RunContext c) {
            c.result(A.class);
            return super.run(c);
        }
    }

    @BeforeEach
    void context() throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out") + "\n");
        AuditConfig config = ConfigLoader.load(yaml);
        store = new OutputStore(spark, dir.resolve("out").toString(), "run-1", AS_OF);
        ctx = new RunContext("run-1", new AuditWindow(AS_OF, config.lookbackDays()), config,
                new RunContext.Loaded(new AuditInputs(new EnumMap<>(CanonicalTable.class)), List.of(), 0), new Steps(),
                Materializer.localCheckpoint(), new ArrayList<>(), new RunInvariants(), store);
    }

    @Test
    void aResultIsReleasedRightAfterItsLastReaderAndAnUnreadOneAfterItsOwnStage() {
        Stages.run(List.of(new A(), new B(), new C()), ctx, store, spark.sparkContext());
        // A is read by B only: released after B, before C runs. B and C are read by nobody.
        assertEquals(List.of("run A", "run B", "release A", "release B", "run C", "release C"), events);
    }

    @Test
    void aStageReadingAResultItDidNotDeclareIsStopped() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Stages.run(List.of(new A(), new Undeclared()), ctx, store, spark.sparkContext()));
        assertEquals("Undeclared reads the result of A without declaring it in reads()", e.getMessage());
    }
}
