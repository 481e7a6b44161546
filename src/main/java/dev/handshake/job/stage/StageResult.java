package dev.handshake.job.stage;

import dev.handshake.model.OutputTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a stage produced: the tables and files the run stages, and what it keeps for later stages. */
public interface StageResult {

    /** An output table and its rows, staged by the run under the table's descriptor. */
    record Output(OutputTable table, Dataset<Row> rows) {}

    /** Small report files staged with the tables (see {@code AuditSink.stageFiles}). */
    record Files(String directory, Map<String, byte[]> files) {
        public Files {
            files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        }
    }

    /** The tables to stage, in the order they are written. */
    default List<Output> outputs() {
        return List.of();
    }

    default Optional<Files> files() {
        return Optional.empty();
    }

    /**
     * Frees what this result keeps for later stages; called right after the last stage that
     * declares it in {@link AuditStage#reads()}, or after its own stage when none does.
     */
    default void release() {}

    /** Frees what the stage kept only for its own tables; called once they are written. */
    default void releaseWritten() {}

    /** A stage with nothing to hand on (a check, a skipped audit). */
    StageResult NONE = new StageResult() {};
}
