package dev.handshake.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.handshake.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class NamesWhereTest {
    private static List<String> names(Dataset<Row> rows, Column tags) {
        return rows.select(tags.as("t")).first().getList(0);
    }

    @Test
    void namesWhoseConditionHoldsInOrderAndNullDoesNotHold() {
        Dataset<Row> one = SharedSpark.get().sql("select 1 as a, cast(null as int) as b");
        List<Column> conditions = List.of(col("a").equalTo(1), col("b").equalTo(1), lit(false), col("a").gt(0));
        assertEquals(List.of("first", "fourth"), names(one, NamesWhere.of(conditions,
                List.of("first", "second", "third", "fourth"))));
        assertEquals(List.of("only"), names(one, NamesWhere.of(List.of(lit(true)), List.of("only"))));
        assertEquals(List.of(), names(one, NamesWhere.of(List.of(), List.of())));
        assertEquals(List.of(), names(one, NamesWhere.of(List.of(col("b").isNotNull()), List.of("x"))));
    }

    @Test
    void compiledIntoGeneratedCodeUnlikeACompactedArray() {
        Dataset<Row> rows = SharedSpark.get().range(3).toDF()
                .select(NamesWhere.of(List.of(col("id").gt(0), col("id").gt(1)), List.of("a", "b")).as("t"));
        // A lambda (as array_compact is) has no generated code: Spark would interpret the whole
        // projection around it row by row.
        assertFalse(rows.queryExecution().optimizedPlan().toString().contains("lambdafunction"));
        String compacted = SharedSpark.get().range(1).toDF().select(org.apache.spark.sql.functions.array_compact(
                org.apache.spark.sql.functions.array(lit("a")))).queryExecution().optimizedPlan().toString();
        assertTrue(compacted.contains("lambdafunction"), compacted);
        assertEquals(List.of(List.of(), List.of("a"), List.of("a", "b")),
                rows.orderBy(org.apache.spark.sql.functions.size(col("t"))).collectAsList().stream()
                        .map(r -> r.getList(0)).toList());
    }

    @Test
    void oneNamePerCondition() {
        assertThrows(IllegalArgumentException.class, () -> NamesWhere.of(List.of(lit(true)), List.of()));
    }
}
