package dev.handshake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * Keeps rows as a local checkpoint and releases them. {@code Dataset.unpersist} does not release
 * one: it drops cached query plans, while a checkpoint is an RDD persisted under the Dataset's plan.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Computes the rows now and keeps them in Spark's block manager (memory, spilling to disk), so
     * later plans start from them as a leaf. Not serialized: that ran out of heap on large blocks;
     * not disk only: slower (docs/performance.md).
     */
    public static Dataset<Row> keep(Dataset<Row> rows) {
        return rows.localCheckpoint(true, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /** Frees the checkpointed rows of {@code rows} (a no-op for any other Dataset); never blocks. */
    public static void release(Dataset<Row> rows) {
        LogicalPlan plan = rows.queryExecution().logical();
        if (plan instanceof LogicalRDD checkpoint) {
            checkpoint.rdd().unpersist(false);
        } else {
            rows.unpersist(false);
        }
    }
}
