package dev.handshake.config;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.testing.SharedSpark;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class LabelMappingTest {
    private static final SparkSession SPARK = SharedSpark.get();

    // Each label is one way whitespace can differ from the configured "Working - Contacted".
    private static final List<String> LABELS = Arrays.asList(
            "Working - Contacted", "working - contacted", "  Working - Contacted ", "Working  -   Contacted",
            "Working\t-\tContacted", "Working -\nContacted", "Working -\r\nContacted", "Working\u000B- Contacted",
            "Working\f-  Contacted", "\tWORKING - CONTACTED\t", "Working-Contacted", "", null);

    @Test
    void sparkNormalizesEveryLabelExactlyAsJavaDoes() {
        Dataset<Row> labels = SPARK.createDataset(LABELS, Encoders.STRING()).toDF("label");
        List<Row> rows = labels.select(col("label"), LabelMapping.normalize(col("label")).as("n")).collectAsList();
        assertEquals(LABELS.size(), rows.size());
        for (Row r : rows) {
            String label = r.getString(0);
            assertEquals(label == null ? null : LabelMapping.normalize(label), r.getString(1),
                    "label [" + label + "]");
        }
    }

    @Test
    void irregularWhitespaceStillMapsToTheConfiguredStage() {
        LabelMapping stages = new LabelMapping(Map.of("working - contacted", "WORKED", "sales accepted", "SAL"));
        Dataset<Row> labels = SPARK.createDataset(LABELS, Encoders.STRING()).toDF("label");
        List<String> mapped = labels.select(stages.map(col("label"))).as(Encoders.STRING()).collectAsList();
        // The first ten labels differ only in case and whitespace; "Working-Contacted" lost a space
        // (a different label), "" and null are no label at all.
        List<String> expected = Arrays.asList("WORKED", "WORKED", "WORKED", "WORKED", "WORKED", "WORKED", "WORKED",
                "WORKED", "WORKED", "WORKED", null, null, null);
        assertEquals(expected, mapped);
    }
}
