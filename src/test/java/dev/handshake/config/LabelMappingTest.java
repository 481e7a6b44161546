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

    @Test
    void positionFollowsConfiguredOrderAndCodeGivesEachValuesNumber() {
        // Configured order: prospecting (0), proposal (1), closed won (2), closed lost (3).
        java.util.LinkedHashMap<String, String> byLabel = new java.util.LinkedHashMap<>();
        byLabel.put("prospecting", "OPPORTUNITY");
        byLabel.put("proposal", "OPPORTUNITY");
        byLabel.put("closed won", "WON");
        byLabel.put("closed lost", "NONE");
        LabelMapping stages = new LabelMapping(byLabel);
        Dataset<Row> labels = SPARK.createDataset(Arrays.asList(" Closed  Won", "PROPOSAL", "Closed Lost",
                "Negotiation", null), Encoders.STRING()).toDF("label");
        List<Row> rows = labels.select(stages.position(col("label")),
                stages.code(col("label"), v -> v.equals("WON") ? 7 : v.equals("OPPORTUNITY") ? 6 : 0)).collectAsList();
        assertEquals(Arrays.asList(2, 1, 3, null, null), rows.stream().map(r -> r.isNullAt(0) ? null : r.getInt(0)).toList());
        assertEquals(Arrays.asList(7, 6, 0, null, null), rows.stream().map(r -> r.isNullAt(1) ? null : r.getInt(1)).toList());
        // No labels configured: every lookup is null, of the lookup's type.
        LabelMapping none = new LabelMapping(Map.of());
        Row empty = labels.select(none.position(col("label")), none.code(col("label"), v -> 1)).first();
        assertEquals(Arrays.asList(true, true), Arrays.asList(empty.isNullAt(0), empty.isNullAt(1)));
    }
}
