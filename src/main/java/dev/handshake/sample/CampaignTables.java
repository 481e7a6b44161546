package dev.handshake.sample;

import static dev.handshake.sample.LeadPlan.seconds;
import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.Tables.date;
import static dev.handshake.sample.Tables.ts;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** campaigns (a fixed catalogue whose channel is the campaign number mod 5) and campaign_touches. */
final class CampaignTables {
    private final SampleCalendar cal;
    private final SampleDirectory dir;
    private final Draws draws;

    CampaignTables(SampleCalendar cal, SampleDirectory dir, Draws draws) {
        this.cal = cal;
        this.dir = dir;
        this.draws = draws;
    }

    Dataset<Row> campaigns(SparkSession spark) {
        Column k = col("id");
        Column channel = pmod(k, lit((long) SampleDirectory.CHANNELS.length));
        Column channelName = Draws.oneOf(channel, SampleDirectory.CHANNELS);
        Column type = when(channel.equalTo(lit(0L)), lit("Search Ads"))
                .when(channel.equalTo(lit(1L)), lit("Social Ads"))
                .when(channel.equalTo(lit(2L)), when(SampleDirectory.isWebinar(k), lit("Webinar"))
                        .otherwise(lit("Trade Show")))
                .when(channel.equalTo(lit(3L)), lit("Partner Referral"))
                .otherwise(lit("Content Syndication"));
        // Campaigns start before the window and through it, so early cohort leads have a campaign to cite.
        Column start = lit(cal.windowStartDay() - 60).plus(draws.below(k, "campaign.start", 400));
        Column costScale = when(channel.equalTo(lit(2L)), lit(60_000.0)).when(channel.equalTo(lit(0L)), lit(40_000.0))
                .otherwise(lit(20_000.0));
        Column cost = floor(costScale.multiply(draws.u(k, "campaign.cost").plus(0.25))).cast("decimal(24,2)");
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("campaign_id", SampleDirectory.campaignId(k));
        c.put("name", concat(lit("FY"), date(start).cast("string").substr(3, 2), lit(" "), type, lit(" "),
                Tables.id("", 4, k.plus(lit(1L)))));
        c.put("channel", channelName);
        c.put("campaign_type", type);
        c.put("start_date", date(start));
        c.put("cost", cost.cast(ColumnType.DECIMAL.sparkType()));
        return Tables.conform(spark.range(0, dir.campaigns(), 1, 1).toDF(), CanonicalTable.CAMPAIGNS, c);
    }

    /**
     * One to three touches per lead with a campaign (even where the lead's campaign_id field was
     * lost): the first at capture, typed by channel, so "paid demo requests" are identifiable.
     */
    Dataset<Row> touches(Dataset<Row> plan) {
        Column chan = col(CHANNEL);
        Column firstType = when(chan.equalTo(lit(0)),
                        Draws.pickLabel(draws.u(col(ID), "touch.type"), new double[] {55, 45}, "demo_request", "form_fill"))
                .when(chan.equalTo(lit(1)),
                        Draws.pickLabel(draws.u(col(ID), "touch.type"), new double[] {35, 65}, "demo_request", "form_fill"))
                .when(chan.equalTo(lit(2)), when(SampleDirectory.isWebinar(col(CAMPAIGN_INDEX)), lit("webinar_attended"))
                        .otherwise(lit("booth_scan")))
                .when(chan.equalTo(lit(3)), lit("partner_referral"))
                .otherwise(lit("content_download"));
        Column count = draws.below(col(ID), "touch.count", 3);
        Column[] slots = new Column[3];
        for (int k = 0; k < 3; k++) {
            Column t = k == 0 ? col(T_CREATED)
                    : col(T_CREATED).plus(lit(DAY).plus(seconds(draws.u(col(ID), "touch.t." + k).multiply(20 * DAY)))
                            .multiply(k));
            Column include = k == 0 ? lit(true) : count.geq(lit((long) k)).and(t.lt(lit(cal.cutoff())));
            Column type = k == 0 ? firstType : Draws.oneOf(draws.below(col(ID), "touch.type." + k, 2),
                    "email_click", "content_download");
            slots[k] = when(include, struct(Tables.id("T", 10, col(ID).multiply(4).plus(lit((long) k))).as("id"),
                    t.as("t"), type.as("type")));
        }
        Dataset<Row> rows = plan.filter(col(HAS_CHILDREN).and(col(CAMPAIGN_INDEX).isNotNull()))
                .select(col(ID), col(CHANNEL), col(CAMPAIGN_INDEX), col(LEAD_ID), explode(array(slots)).as("e"))
                .filter(col("e").isNotNull());
        Column campaignId = SampleDirectory.campaignId(col(CAMPAIGN_INDEX));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("touch_id", col("e.id"));
        c.put("campaign_id", campaignId);
        c.put("lead_id", col(LEAD_ID));
        c.put("opportunity_id", lit(null).cast("string"));
        c.put("touched_at", ts(col("e.t")));
        c.put("touch_type", col("e.type"));
        c.put("utm_source", Draws.oneOf(chan.cast("long"), "google", "linkedin", "event", "partner", "syndication"));
        c.put("utm_medium", Draws.oneOf(chan.cast("long"), "cpc", "paid_social", "event", "referral", "content"));
        c.put("utm_campaign", lower(campaignId));
        return Tables.conform(rows, CanonicalTable.CAMPAIGN_TOUCHES, c);
    }
}
