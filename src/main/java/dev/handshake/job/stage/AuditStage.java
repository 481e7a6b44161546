package dev.handshake.job.stage;

import dev.handshake.model.CanonicalTable;
import java.util.Set;

/**
 * One audit of a night, as the run executes it (docs/architecture.md): reads what it needs from
 * the {@link RunContext}, calls its pure audit functions, and returns a typed result naming the
 * output tables it produced. It never writes: the run stages the tables it returns, in order.
 *
 * @param <R> what it hands to later stages and to the run
 */
public interface AuditStage<R extends StageResult> {

    /** The stage as the Spark UI and logs name it. */
    String name();

    /**
     * The earlier stages whose results this one reads. The run refuses any other read, and a
     * result is released right after its last reader, so this list is also the release order.
     */
    default Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of();
    }

    /** Input tables no later stage reads: the run releases them once this stage is done. */
    default Set<CanonicalTable> lastReadOf() {
        return Set.of();
    }

    R run(RunContext ctx);
}
