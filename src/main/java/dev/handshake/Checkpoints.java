package dev.handshake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * Releases the blocks a local checkpoint keeps. {@code Dataset.unpersist} does not: it drops cached
 * query plans, while a checkpoint is an RDD persisted under the Dataset's plan.
 */
public final class Checkpoints {
    private Checkpoints() {}

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
