package dev.handshake.audit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Marks an intermediate result that several outputs of an audit read. The caller decides what that
 * means: the job persists it (and releases it when the run ends), which also keeps the downstream
 * query plans small, since Spark substitutes a persisted plan before optimizing. No audit does I/O
 * through it.
 */
@FunctionalInterface
public interface Materializer {
    Dataset<Row> apply(Dataset<Row> rows);

    /** Keeps the rows as a local checkpoint ({@link dev.handshake.Checkpoints#keep}). */
    static Materializer localCheckpoint() {
        return dev.handshake.Checkpoints::keep;
    }

    /** Leaves plans as they are (tests of small pure pieces). */
    static Materializer none() {
        return rows -> rows;
    }
}
