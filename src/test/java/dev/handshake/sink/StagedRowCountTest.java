package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A staged table's row count is the count of the write itself (CountedWrite), rows or none. */
class StagedRowCountTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.get();
    private static final StructType DEALS = new StructType()
            .add("opportunity_id", DataTypes.StringType).add("amount", DataTypes.createDecimalType(18, 2));

    private OutputStore store() {
        return new OutputStore(spark, dir.resolve("out").toString(), "run-1", LocalDate.of(2026, 3, 31));
    }

    @Test
    void threeDealsStagedCountThreeAndAFilterTakingTwoCountsOne() {
        Dataset<Row> deals = spark.createDataFrame(List.of(
                RowFactory.create("O1", new java.math.BigDecimal("100.00")),
                RowFactory.create("O2", new java.math.BigDecimal("0.00")),
                RowFactory.create("O3", new java.math.BigDecimal("250.50"))), DEALS);
        OutputStore store = store();
        assertEquals(3, store.stage("audit_deals", deals, true, "opportunity_id"));
        // Only O2 is a zero-value deal.
        assertEquals(1, store.stage("audit_zero", deals.filter("amount = 0"), false));
        assertEquals(3, spark.read().parquet(dir.resolve("out/_staging").toString() + "/as_of=2026-03-31/run-1/audit_deals")
                .count(), "the count is what was written");
    }

    @Test
    void anEmptyTableStagesZeroRowsNotAMissingCount() {
        OutputStore store = store();
        assertEquals(0, store.stage("audit_none", spark.createDataFrame(List.of(), DEALS), true));
        assertEquals(0, store.stage("audit_filtered", spark.range(4).toDF("n").filter("n > 10"), false));
    }
}
