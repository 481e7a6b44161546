package dev.handshake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

class CheckpointsTest {
    @Test
    void releaseFreesTheBlocksOfALocalCheckpoint() {
        SparkSession spark = SharedSpark.get();
        Dataset<Row> kept = spark.range(1000).toDF().localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
        int id = ((LogicalRDD) kept.queryExecution().logical()).rdd().id();
        assertTrue(spark.sparkContext().getPersistentRDDs().contains(id), "checkpoint is persisted");
        kept.unpersist(true);
        assertTrue(spark.sparkContext().getPersistentRDDs().contains(id), "Dataset.unpersist leaves it");
        Checkpoints.release(kept);
        assertFalse(spark.sparkContext().getPersistentRDDs().contains(id), "checkpoint is released");
    }
}
