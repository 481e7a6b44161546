package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.AuditWindow;
import dev.handshake.source.AuditInputs;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The opportunities a run looks at (section 0): not deleted, created by the end of as_of, and
 * either converted from a cohort lead or created inside the window. Every column is prefixed
 * {@code opp_} so it can sit beside lead columns.
 *
 * <p>Added columns: {@code opp_lead_id} and {@code opp_lead_segment} (of the lead converted into
 * it; the smallest lead id if several were; the opportunity's own {@code segment} is
 * {@code opp_segment}), {@code opp_won_on} (close date of a win on or before
 * as_of; a win without close date is dated by its creation), {@code opp_lost_on} (likewise for a
 * closed loss), {@code opp_first_booked_on} (once {@link #withFinanceArrival} added it: when the win
 * reached finance, {@link BookingMatch#firstBooked}, the reconciliation's matching, linked or
 * fallback; null for anything but a win), and the
 * amount in reporting currency as of the close date ({@code opp_amount_reporting},
 * {@code opp_amount_reporting_resolved}); with a tagged journey, {@link #WORKFLOWS}.
 */
public final class OpportunityScope {
    public static final String PREFIX = "opp_";
    public static final String ID = PREFIX + "opportunity_id";
    public static final String LEAD_ID = PREFIX + "lead_id";
    /** Segment of the originating lead, {@code (none)} without one: what the cuts by segment read. */
    public static final String SEGMENT = PREFIX + "lead_segment";
    /** Campaign and source of the originating lead, as captured: what marketing's story counts. */
    public static final String LEAD_CAMPAIGN_ID = PREFIX + "lead_campaign_id";
    public static final String LEAD_SOURCE = PREFIX + "lead_lead_source";
    /**
     * The workflows the opportunity counts in: those of its originating lead when it is a cohort
     * lead of a tagged journey (null otherwise); present only when the journey carries
     * {@link LeadJourney#WORKFLOWS}. When the night has no cohort lead the opportunity's own fields
     * decide instead ({@code benchmark.WorkflowPopulation#tagOpportunities}).
     */
    public static final String WORKFLOWS = PREFIX + LeadJourney.WORKFLOWS;
    public static final String WON_ON = PREFIX + "won_on";
    public static final String LOST_ON = PREFIX + "lost_on";
    public static final String FIRST_BOOKED_ON = PREFIX + "first_booked_on";
    public static final String AMOUNT_REPORTING = PREFIX + "amount_reporting";
    public static final String AMOUNT_RESOLVED = AMOUNT_REPORTING + "_resolved";
    /** Working columns of {@link #build}, before the opportunity's own columns take {@link #PREFIX}. */
    private static final String ORIGIN_OPP = PREFIX + "origin_opp";
    private static final String ORIGIN = PREFIX + "origin";
    private static final String COHORT_OPP = PREFIX + "cohort_opp";
    private static final String COHORT = PREFIX + "cohort";

    private OpportunityScope() {}

    /**
     * The scope with {@link #FIRST_BOOKED_ON}: when each win reached finance, as the reconciliation's
     * matching decided ({@link BookingMatch#firstBooked} of the match made on this scope).
     */
    public static Dataset<Row> withFinanceArrival(Dataset<Row> scope, Dataset<Row> firstBooked) {
        return scope.join(firstBooked, col(ID).equalTo(col(BookingMatch.ARRIVED_OPP)), "left")
                .withColumn(FIRST_BOOKED_ON, col(BookingMatch.ARRIVED_ON))
                .drop(BookingMatch.ARRIVED_OPP, BookingMatch.ARRIVED_ON);
    }

    /** The scope without {@link #FIRST_BOOKED_ON}, which {@link #withFinanceArrival} adds. */
    public static Dataset<Row> build(AuditInputs in, LeadJourney journey, AuditWindow window, Fx fx) {
        Dataset<Row> opps = in.table(OPPORTUNITIES)
                .filter(coalesce(col("is_deleted"), lit(false)).equalTo(false)
                        .and(col("created_at").lt(lit(window.endExclusive()))));
        // The lead each opportunity came from; one per opportunity even if several converted into it.
        Dataset<Row> origin = in.table(LEADS)
                .filter(coalesce(col("is_deleted"), lit(false)).equalTo(false)
                        .and(col("converted_opportunity_id").isNotNull()))
                .groupBy(col("converted_opportunity_id").as(ORIGIN_OPP))
                .agg(min(struct(col("lead_id"), col("segment"), col("campaign_id"), col("lead_source"))).as(ORIGIN));
        // The cohort leads converted into each opportunity; with a tagged journey also the smallest
        // such lead with its workflows: it is the originating lead exactly when the origin (the
        // smallest of all live leads converted into it) is in the cohort.
        boolean tagged = journey.tagged();
        Dataset<Row> cohortLeads = journey.leads().filter(col(LeadJourney.OPPORTUNITY_ID).isNotNull());
        Dataset<Row> cohortLinks = tagged
                ? cohortLeads.groupBy(col(LeadJourney.OPPORTUNITY_ID).as(COHORT_OPP))
                        .agg(min(struct(col("lead_id"), col(LeadJourney.WORKFLOWS))).as(COHORT))
                : cohortLeads.select(col(LeadJourney.OPPORTUNITY_ID).as(COHORT_OPP)).distinct();
        Dataset<Row> scoped = opps
                .join(origin, col("opportunity_id").equalTo(col(ORIGIN_OPP)), "left")
                .join(cohortLinks, col("opportunity_id").equalTo(col(COHORT_OPP)), "left")
                .filter(col(COHORT_OPP).isNotNull().or(window.inWindow(col("created_at"))));

        Column closedOn = coalesce(col("close_date"), to_date(col("created_at")));
        List<Column> out = new ArrayList<>();
        for (String c : opps.columns()) {
            out.add(col(c).as(PREFIX + c));
        }
        out.add(col(ORIGIN + ".lead_id").as(LEAD_ID));
        out.add(coalesce(col(ORIGIN + ".segment"), lit(LeadJourney.UNKNOWN)).as(SEGMENT));
        out.add(col(ORIGIN + ".campaign_id").as(LEAD_CAMPAIGN_ID));
        out.add(col(ORIGIN + ".lead_source").as(LEAD_SOURCE));
        out.add(window.happenedOn(when(col("is_won").equalTo(true), closedOn)).as(WON_ON));
        out.add(window.happenedOn(when(col("is_closed").equalTo(true).and(coalesce(col("is_won"), lit(false))
                .equalTo(false)), closedOn)).as(LOST_ON));
        if (tagged) {
            out.add(when(col(COHORT + ".lead_id").equalTo(col(ORIGIN + ".lead_id")),
                    col(COHORT + "." + LeadJourney.WORKFLOWS)).as(WORKFLOWS));
        }
        Dataset<Row> prefixed = scoped.select(out.toArray(Column[]::new));
        return fx.convert(prefixed, col(PREFIX + "amount"), col(PREFIX + "currency_code"),
                coalesce(col(PREFIX + "close_date"), to_date(col(PREFIX + "created_at"))), AMOUNT_REPORTING);
    }
}
