package dev.handshake.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a generated sample for the tests' own, deliberately simple queries. Every table becomes a
 * temp view {@code <prefix>_<table>}; the label mappings of conf/local.yaml become the views
 * {@code status_map}, {@code role_map} and {@code reason_map} (normalised label -> target), so SQL
 * joins on them instead of splicing configured labels into query text.
 */
final class SampleQueries {
    static final Path CONFIG = Path.of("conf/local.yaml");

    private SampleQueries() {}

    static SparkSession spark() {
        return SharedSpark.get();
    }

    static Dataset<Row> table(SampleFixture.Generated sample, CanonicalTable table) {
        return spark().read().parquet(sample.table(table.tableName()).toAbsolutePath().toString());
    }

    /** Registers every table of the sample as {@code <prefix>_<table>} plus the mapping views. */
    static void register(SampleFixture.Generated sample, String prefix) {
        for (CanonicalTable t : CanonicalTable.values()) {
            table(sample, t).createOrReplaceTempView(prefix + "_" + t.tableName());
        }
        JsonNode conf = config();
        mapping(conf.path("stage_mapping").path("lead_status")).createOrReplaceTempView("status_map");
        mapping(conf.path("role_mapping")).createOrReplaceTempView("role_map");
        mapping(conf.path("reason_categories")).createOrReplaceTempView("reason_map");
    }

    static long count(String sql) {
        return spark().sql(sql).first().getLong(0);
    }

    /** Case- and whitespace-insensitive form of a label, as the configuration matches it. */
    static Column normalized(Column label) {
        return lower(trim(regexp_replace(label, "\\s+", " ")));
    }

    static String normalized(String label) {
        return label.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static JsonNode config() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(CONFIG.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CONFIG, e);
        }
    }

    /** The labels a mapping section lists under {@code key}, normalised. */
    static List<String> labels(JsonNode section, String key) {
        List<String> out = new ArrayList<>();
        section.path(key).forEach(n -> out.add(normalized(n.asText())));
        return out;
    }

    /** A {@code key: [labels]} section as rows (label normalised, key). */
    private static Dataset<Row> mapping(JsonNode section) {
        List<Row> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            e.getValue().forEach(label -> rows.add(RowFactory.create(normalized(label.asText()), e.getKey())));
        }
        StructType schema = new StructType().add("label", DataTypes.StringType).add("target", DataTypes.StringType);
        return spark().createDataFrame(rows, schema);
    }

    /**
     * The funnel evidence of section 1, written independently of the generator from the tables
     * alone: view {@code <p>_evidence} has one row per cohort lead with its cohort month, e0..e7
     * (evidence of CAPTURED..BOOKED before the cutoff) and {@code reached} (the furthest stage with
     * evidence). Also registers {@code <p>_cohort}, {@code <p>_valid_opps}, {@code <p>_mql_instant}
     * and {@code <p>_first_touch}.
     */
    static void registerEvidence(String p, LocalDate asOf) {
        String cutoff = "TIMESTAMP '" + asOf.plusDays(1) + " 00:00:00'";
        String start = "TIMESTAMP '" + asOf.minusDays(365) + " 00:00:00'";
        String day = "DATE '" + asOf + "'";
        SparkSession spark = spark();
        spark.sql("SELECT * FROM " + p + "_leads WHERE lead_id IS NOT NULL AND created_at IS NOT NULL AND lead_id NOT IN "
                + "(SELECT lead_id FROM " + p + "_leads WHERE lead_id IS NOT NULL GROUP BY lead_id HAVING count(*) > 1)")
                .createOrReplaceTempView(p + "_valid_leads");
        spark.sql("SELECT * FROM " + p + "_valid_leads WHERE NOT coalesce(is_deleted, false) AND created_at >= " + start
                + " AND created_at < " + cutoff).createOrReplaceTempView(p + "_cohort");
        spark.sql("SELECT * FROM " + p + "_opportunities WHERE opportunity_id IS NOT NULL AND created_at IS NOT NULL "
                + "AND NOT coalesce(is_deleted, false) AND opportunity_id NOT IN (SELECT opportunity_id FROM " + p
                + "_opportunities WHERE opportunity_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1)")
                .createOrReplaceTempView(p + "_valid_opps");
        spark.table(p + "_lead_status_history").filter(col("changed_at").isNotNull().and(col("status").isNotNull()))
                .withColumn("label", normalized(col("status"))).createOrReplaceTempView(p + "_lsh_labelled");
        spark.sql("SELECT h.lead_id, m.target AS stage, min(h.changed_at) AS t FROM " + p + "_lsh_labelled h "
                + "JOIN status_map m ON h.label = m.label WHERE h.changed_at < " + cutoff + " GROUP BY 1, 2")
                .createOrReplaceTempView(p + "_lsh_stage");
        spark.table(p + "_users").withColumn("label", normalized(col("role"))).createOrReplaceTempView(p + "_users_labelled");
        spark.sql("SELECT a.lead_id, min(a.activity_at) AS t FROM " + p + "_activities a JOIN " + p + "_users_labelled u "
                + "ON a.owner_id = u.user_id JOIN role_map r ON u.label = r.label "
                + "WHERE r.target IN ('SDR', 'AE', 'MANAGER') AND a.lead_id IS NOT NULL AND a.activity_at < " + cutoff
                + " GROUP BY 1").createOrReplaceTempView(p + "_sales_activity");
        // BOOKED: the win reached finance, by a positive booking linked to it or matched to it by the
        // fallback rule (unlinked, same account and amount, within 30 days of the close date).
        spark.sql("SELECT DISTINCT opportunity_id FROM " + p + "_bookings WHERE booking_id IS NOT NULL AND "
                + "opportunity_id IS NOT NULL AND amount > 0 AND booking_date <= " + day
                + " UNION SELECT o.opportunity_id FROM " + p + "_valid_opps o JOIN " + p + "_bookings b "
                + "ON b.booking_id IS NOT NULL AND b.opportunity_id IS NULL AND b.account_id = o.account_id "
                + "AND b.amount = o.amount AND b.amount > 0 AND b.booking_date <= " + day
                + " AND abs(datediff(b.booking_date, o.close_date)) <= 30 WHERE o.is_won AND o.close_date <= " + day)
                .createOrReplaceTempView(p + "_booked");
        spark.sql("SELECT l.lead_id, date_format(l.created_at, 'yyyy-MM') AS month, "
                + "true AS e0, "
                + "coalesce(l.mql_at < " + cutoff + ", false) OR h1.t IS NOT NULL AS e1, "
                + "coalesce(l.assigned_at < " + cutoff + ", false) OR h2.t IS NOT NULL AS e2, "
                + "coalesce(l.first_touch_at < " + cutoff + ", false) OR (l.first_touch_at IS NULL AND sa.t IS NOT NULL) "
                + "  OR h3.t IS NOT NULL AS e3, "
                + "coalesce(l.accepted_at < " + cutoff + ", false) OR h4.t IS NOT NULL AS e4, "
                + "coalesce(l.converted_at < " + cutoff + ", false) OR coalesce(o.created_at < " + cutoff + ", false) "
                + "  OR h5.t IS NOT NULL AS e5, "
                + "coalesce(o.is_won AND coalesce(o.close_date, to_date(o.created_at)) <= " + day + ", false) AS e6, "
                + "b.opportunity_id IS NOT NULL AS e7 "
                + "FROM " + p + "_cohort l "
                + "LEFT JOIN " + p + "_lsh_stage h1 ON h1.lead_id = l.lead_id AND h1.stage = 'MQL' "
                + "LEFT JOIN " + p + "_lsh_stage h2 ON h2.lead_id = l.lead_id AND h2.stage = 'ASSIGNED' "
                + "LEFT JOIN " + p + "_lsh_stage h3 ON h3.lead_id = l.lead_id AND h3.stage = 'WORKED' "
                + "LEFT JOIN " + p + "_lsh_stage h4 ON h4.lead_id = l.lead_id AND h4.stage = 'SAL' "
                + "LEFT JOIN " + p + "_lsh_stage h5 ON h5.lead_id = l.lead_id AND h5.stage = 'OPPORTUNITY' "
                + "LEFT JOIN " + p + "_sales_activity sa ON sa.lead_id = l.lead_id "
                + "LEFT JOIN " + p + "_valid_opps o ON o.opportunity_id = l.converted_opportunity_id "
                + "LEFT JOIN " + p + "_booked b ON b.opportunity_id = l.converted_opportunity_id")
                .createOrReplaceTempView(p + "_evidence_flags");
        spark.sql("SELECT *, CASE WHEN e7 THEN 7 WHEN e6 THEN 6 WHEN e5 THEN 5 WHEN e4 THEN 4 WHEN e3 THEN 3 "
                + "WHEN e2 THEN 2 WHEN e1 THEN 1 ELSE 0 END AS reached FROM " + p + "_evidence_flags")
                .createOrReplaceTempView(p + "_evidence");
        // SLA clock of marketing_to_sales: the MQL instant and the first sales touch, both before the cutoff.
        spark.sql("SELECT l.lead_id, CASE WHEN l.mql_at < " + cutoff + " THEN l.mql_at ELSE h1.t END AS t FROM " + p
                + "_cohort l LEFT JOIN " + p + "_lsh_stage h1 ON h1.lead_id = l.lead_id AND h1.stage = 'MQL'")
                .createOrReplaceTempView(p + "_mql_instant");
        spark.sql("SELECT l.lead_id, CASE WHEN l.first_touch_at IS NOT NULL THEN "
                + "CASE WHEN l.first_touch_at < " + cutoff + " THEN l.first_touch_at END ELSE sa.t END AS t FROM " + p
                + "_cohort l LEFT JOIN " + p + "_sales_activity sa ON sa.lead_id = l.lead_id")
                .createOrReplaceTempView(p + "_first_touch");
    }
}
