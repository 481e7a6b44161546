package dev.handshake.audit.ledger;

import static dev.handshake.audit.ledger.LedgerTables.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.model.BreakId;
import dev.handshake.model.ColumnType;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The break ledger ({@code docs/break-ledger.md}): every reconciliation row that is not
 * {@code MATCHED} is a break, followed from night to night under a stable {@code break_id}. A
 * night's ledger is a function of the previous successful night's ledger and tonight's
 * reconciliation only, so a backfill in date order rebuilds it and a rerun reproduces it.
 *
 * <p>Also the category transitions against the previous night's reconciliation, and what each
 * acknowledgement does tonight (every acknowledgement row comes out, unknown break ids included).
 */
public final class BreakLedger {
    /** Columns of {@link Inputs#deals()}: a won opportunity's close date and owner. */
    public static final String DEAL_ID = "opportunity_id";
    public static final String CLOSE_DATE = "close_date";
    public static final String DEAL_OWNER = "owner_id";
    /** Columns of {@link Inputs#bookingDates()}. */
    public static final String BOOKING_ID = "booking_id";
    public static final String BOOKING_DATE = "booking_date";

    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__ledger_";
    /** Tonight's break columns, the previous night's ledger columns, tonight's acknowledgement columns. */
    private static final String T = PREFIX + "t_";
    private static final String P = PREFIX + "p_";
    private static final String A = PREFIX + "a_";
    private static final String MATCHED_ID = PREFIX + "m_id";
    private static final String DEAL_CLOSE = PREFIX + "d_close";
    private static final String D_ID = PREFIX + "d_id";
    private static final String FB_BOOKING = PREFIX + "fb_booking";
    private static final String FB_DATE = PREFIX + "fb_date";
    private static final String FIRST_BOOKING_BREAK = PREFIX + "fb_id";
    private static final String KNOWN_BREAK = PREFIX + "l_id";
    private static final String LAG_QUANTILES = PREFIX + "l_q";
    private static final String L_CLOSE = PREFIX + "l_close";
    private static final String L_DEAL = PREFIX + "l_deal";
    private static final String L_DEALS = PREFIX + "l_deals";
    private static final String L_SEGMENT = PREFIX + "l_segment";
    private static final String L_STATE = PREFIX + "l_state";
    private static final String SINCE = PREFIX + "since";
    private static final String SNAP_A = PREFIX + "snap_a";
    private static final String SNAP_C = PREFIX + "snap_c";
    private static final String SNAP_V = PREFIX + "snap_v";

    private BreakLedger() {}

    /** The previous successful night: its ledger (as stored) and its reconciliation rows. */
    public record Previous(LocalDate asOf, Dataset<Row> ledger, Dataset<Row> reconciliation) {
        public Previous {
            requireNonNull(asOf, "asOf is null");
            requireNonNull(ledger, "ledger is null");
            requireNonNull(reconciliation, "reconciliation is null");
        }
    }

    /**
     * @param reconciliation   tonight's {@code audit_reconciliation} rows
     * @param deals            {@link #DEAL_ID}, {@link #CLOSE_DATE}, {@link #DEAL_OWNER} of the won deals
     * @param bookingDates     {@link #BOOKING_ID}, {@link #BOOKING_DATE} of the bookings
     * @param acknowledgements the contract-checked acknowledgements table, if the source has one
     * @param keepResolvedDays a resolved break stays in the ledger this many days after it resolved
     *                         (so it can come back as {@code REOPENED}), then leaves it
     * @param lag              how a LAGGING break is split into within the expected lag or overdue
     */
    public record Inputs(LocalDate asOf, Dataset<Row> reconciliation, Dataset<Row> deals, Dataset<Row> bookingDates,
                         Optional<Previous> previous, Optional<Dataset<Row>> acknowledgements, int keepResolvedDays,
                         LagRule lag) {
        public Inputs {
            requireNonNull(lag, "lag is null");
            requireNonNull(asOf, "asOf is null");
            requireNonNull(reconciliation, "reconciliation is null");
            requireNonNull(deals, "deals is null");
            requireNonNull(bookingDates, "bookingDates is null");
            requireNonNull(previous, "previous is null");
            requireNonNull(acknowledgements, "acknowledgements is null");
            if (keepResolvedDays < 0) {
                throw new IllegalArgumentException("Invalid keepResolvedDays: " + keepResolvedDays);
            }
        }
    }

    /**
     * A segment's expected booking lag is learned from its MATCHED deals first booked in the last
     * {@code historyNights} nights (p50 and p90 of their lag_days) once it has {@code minDeals}
     * of them; until then {@code bookingLagDays}, the rule that made the row LAGGING, applies.
     */
    public record LagRule(int historyNights, int minDeals, int bookingLagDays) {
        public LagRule {
            if (historyNights < 1 || minDeals < 1 || bookingLagDays < 0) {
                throw new IllegalArgumentException("Invalid lag rule: " + historyNights + " nights, " + minDeals
                        + " deals, " + bookingLagDays + " days");
            }
        }
    }

    /** @param acknowledgements one row per acknowledgement input row; empty when there is no such input */
    public record Result(Dataset<Row> ledger, Dataset<Row> transitions, Optional<Dataset<Row>> acknowledgements) {
        public Result {
            requireNonNull(ledger, "ledger is null");
            requireNonNull(transitions, "transitions is null");
            requireNonNull(acknowledgements, "acknowledgements is null");
        }
    }

    public static Result run(Inputs input) {
        // Who acknowledged is kept as a name or id: an e-mail address keeps only its local part.
        Inputs in = new Inputs(input.asOf(), input.reconciliation(), input.deals(), input.bookingDates(),
                input.previous(), input.acknowledgements().map(a -> a.withColumn(IN_ACKNOWLEDGED_BY,
                        regexp_replace(col(IN_ACKNOWLEDGED_BY), "@.*$", ""))), input.keepResolvedDays(), input.lag());
        Dataset<Row> ledger = ledger(in);
        Dataset<Row> acks = in.acknowledgements().map(a -> acknowledgementOutcomes(a, ledger)).orElse(null);
        return new Result(ledger, transitions(in), Optional.ofNullable(acks));
    }

    /** The amount a break is about: the CRM amount, else (a booking without a deal) the finance amount. */
    static Column breakAmount() {
        return coalesce(col(ReconciliationTables.CRM_AMOUNT), col(ReconciliationTables.FINANCE_AMOUNT));
    }

    private static Dataset<Row> ledger(Inputs in) {
        LocalDate asOf = in.asOf();
        Dataset<Row> keyed = in.reconciliation().withColumn(T + "id",
                BreakId.of(col(ReconciliationTables.OPPORTUNITY_ID), col(ReconciliationTables.BOOKING_IDS)));
        Dataset<Row> matched = keyed.filter(col(ReconciliationTables.CATEGORY).equalTo(ReconciliationTables.MATCHED))
                .select(col(T + "id").as(MATCHED_ID));
        Dataset<Row> breaks = keyed.filter(col(ReconciliationTables.CATEGORY).notEqual(ReconciliationTables.MATCHED));
        Dataset<Row> tonight = withEarliestDate(breaks, in)
                .select(col(T + "id"), col(ReconciliationTables.OPPORTUNITY_ID).as(T + "opp"),
                        concat_ws(", ", array_sort(col(ReconciliationTables.BOOKING_IDS))).as(T + "bookings"),
                        col(ReconciliationTables.CATEGORY).as(T + "category"), money(breakAmount()).as(T + "amount"),
                        money(col(ReconciliationTables.VARIANCE)).as(T + "variance"),
                        col(ReconciliationTables.SEGMENT).as(T + "segment"),
                        col(ReconciliationTables.ACCOUNT_ID).as(T + "account"), col(T + "owner"), col(T + "earliest"),
                        col(T + "lag_status"), col(T + "p50"), col(T + "p90"), col(T + "lag_basis"));

        Dataset<Row> previous = prefixed(in.previous().map(p -> conform(p.ledger()))
                .orElseGet(() -> in.reconciliation().sparkSession().createDataFrame(java.util.List.of(), LEDGER_SCHEMA)), P);
        Dataset<Row> joined = tonight.join(previous, col(T + "id").equalTo(col(P + BREAK_ID)), "full_outer")
                .join(matched, coalesce(col(T + "id"), col(P + BREAK_ID)).equalTo(col(MATCHED_ID)), "left");

        Column inT = col(T + "id").isNotNull();
        Column inP = col(P + BREAK_ID).isNotNull();
        Column wasResolved = col(P + STATUS).equalTo(RESOLVED);
        Column wasOpen = inP.and(wasResolved.equalTo(false));
        Column moved = col(T + "category").eqNullSafe(col(P + CATEGORY)).equalTo(false)
                .or(col(T + "amount").eqNullSafe(col(P + AMOUNT)).equalTo(false))
                .or(col(T + "variance").eqNullSafe(col(P + VARIANCE)).equalTo(false));
        Column status = when(inT.and(inP.equalTo(false)), lit(NEW))
                .when(inT.and(wasResolved), lit(REOPENED))
                .when(inT.and(moved), lit(CHANGED))
                .when(inT, lit(OPEN))
                .otherwise(lit(RESOLVED));
        // A break resolved earlier and not back tonight is carried as it was, until it ages out.
        Column keep = inT.or(wasOpen).or(col(P + RESOLVED_AS_OF).geq(lit(asOf.minusDays(in.keepResolvedDays()))));
        Column earliest = when(inT, least(col(T + "earliest"), col(P + EARLIEST_DATE))).otherwise(col(P + EARLIEST_DATE));
        Dataset<Row> rows = joined.filter(keep)
                .withColumn(STATUS, status)
                .withColumn(EARLIEST_DATE, earliest)
                .select(coalesce(col(T + "id"), col(P + BREAK_ID)).as(BREAK_ID),
                        now(inT, "opp", OPPORTUNITY_ID).as(OPPORTUNITY_ID),
                        now(inT, "bookings", BOOKING_IDS).as(BOOKING_IDS),
                        col(STATUS),
                        now(inT, "category", CATEGORY).as(CATEGORY),
                        when(inP, col(P + FIRST_CATEGORY)).otherwise(col(T + "category")).as(FIRST_CATEGORY),
                        now(inT, "amount", AMOUNT).as(AMOUNT),
                        when(inP, col(P + FIRST_AMOUNT)).otherwise(col(T + "amount")).as(FIRST_AMOUNT),
                        now(inT, "variance", VARIANCE).as(VARIANCE),
                        when(inP, col(P + FIRST_SEEN_AS_OF)).otherwise(lit(asOf)).as(FIRST_SEEN_AS_OF),
                        when(inT, lit(asOf)).otherwise(col(P + LAST_SEEN_AS_OF)).as(LAST_SEEN_AS_OF),
                        when(inT, coalesce(col(P + NIGHTS_OPEN), lit(0)).plus(1)).otherwise(col(P + NIGHTS_OPEN))
                                .as(NIGHTS_OPEN),
                        col(EARLIEST_DATE),
                        when(inT.or(wasOpen), datediff(lit(asOf), col(EARLIEST_DATE))).otherwise(col(P + AGE_DAYS))
                                .as(AGE_DAYS),
                        when(inT, lit(null).cast("date")).when(wasOpen, lit(asOf)).otherwise(col(P + RESOLVED_AS_OF))
                                .as(RESOLVED_AS_OF),
                        when(inT, lit(null).cast("string"))
                                .when(wasOpen, when(col(MATCHED_ID).isNotNull(), lit(RESOLVED_MATCHED))
                                        .otherwise(lit(RESOLVED_GONE)))
                                .otherwise(col(P + RESOLUTION)).as(RESOLUTION),
                        now(inT, "segment", SEGMENT).as(SEGMENT),
                        now(inT, "owner", OWNER_ID).as(OWNER_ID),
                        now(inT, "account", ACCOUNT_ID).as(ACCOUNT_ID),
                        now(inT, "lag_status", LAG_STATUS).as(LAG_STATUS),
                        now(inT, "p50", EXPECTED_LAG_DAYS_P50).as(EXPECTED_LAG_DAYS_P50),
                        now(inT, "p90", EXPECTED_LAG_DAYS_P90).as(EXPECTED_LAG_DAYS_P90),
                        now(inT, "lag_basis", LAG_BASIS).as(LAG_BASIS),
                        col(P + ACKNOWLEDGED_BY), col(P + ACKNOWLEDGEMENT_REASON), col(P + ACKNOWLEDGED_UNTIL),
                        col(P + ACKNOWLEDGED_SINCE), col(P + ACKNOWLEDGED_CATEGORY), col(P + ACKNOWLEDGED_AMOUNT),
                        col(P + ACKNOWLEDGED_VARIANCE));
        return conform(acknowledged(rows, in));
    }

    /** Tonight's value for a break seen tonight, else the value it was last seen with. */
    private static Column now(Column inT, String tonight, String previous) {
        return when(inT, col(T + tonight)).otherwise(col(P + previous));
    }

    /**
     * Earliest relevant date of each break (its close date or its first booking date, whichever is
     * earlier) and its owner, added as {@code T + "earliest"} and {@code T + "owner"}.
     */
    private static Dataset<Row> withEarliestDate(Dataset<Row> breaks, Inputs in) {
        Dataset<Row> firstBooking = breaks.select(col(T + "id").as(FIRST_BOOKING_BREAK),
                        explode(col(ReconciliationTables.BOOKING_IDS)).as(FB_BOOKING))
                .join(in.bookingDates(), col(FB_BOOKING).equalTo(col(BOOKING_ID)), "inner")
                .groupBy(FIRST_BOOKING_BREAK).agg(min(col(BOOKING_DATE)).as(FB_DATE));
        Dataset<Row> deals = in.deals().select(col(DEAL_ID).as(D_ID), col(CLOSE_DATE).as(DEAL_CLOSE),
                col(DEAL_OWNER).as(T + "owner"));
        Dataset<Row> dated = breaks.join(deals, col(ReconciliationTables.OPPORTUNITY_ID).equalTo(col(D_ID)), "left")
                .join(firstBooking, col(T + "id").equalTo(col(FIRST_BOOKING_BREAK)), "left")
                .withColumn(T + "earliest", least(col(DEAL_CLOSE), col(FB_DATE)));
        return withLagStatus(dated, in);
    }

    /**
     * The LAGGING sub-category, added as {@code T + "lag_status"}, {@code T + "p50"}, {@code T + "p90"}
     * and {@code T + "lag_basis"} (null for other categories): within the segment's learned p90
     * lag (days since close at most the p90) or overdue; with too few matched deals to learn
     * from, within the configured lag, which is what made the row LAGGING, and the basis says so.
     */
    private static Dataset<Row> withLagStatus(Dataset<Row> dated, Inputs in) {
        LagRule rule = in.lag();
        Dataset<Row> closes = in.deals().select(col(DEAL_ID).as(L_DEAL), col(CLOSE_DATE).as(L_CLOSE));
        Column lagDays = col(ReconciliationTables.LAG_DAYS);
        Dataset<Row> profiles = in.reconciliation()
                .filter(col(ReconciliationTables.CATEGORY).equalTo(ReconciliationTables.MATCHED).and(lagDays.isNotNull()))
                .join(closes, col(ReconciliationTables.OPPORTUNITY_ID).equalTo(col(L_DEAL)), "inner")
                .filter(date_add(col(L_CLOSE), lagDays).gt(lit(in.asOf().minusDays(rule.historyNights()))))
                .groupBy(col(ReconciliationTables.SEGMENT).as(L_SEGMENT))
                .agg(count(lit(1)).as(L_DEALS), percentile(lagDays, array(lit(0.5), lit(0.9))).as(LAG_QUANTILES));
        Column lagging = col(ReconciliationTables.CATEGORY).equalTo(ReconciliationTables.LAGGING);
        Column deals = coalesce(col(L_DEALS), lit(0L));
        Column learned = deals.geq(rule.minDeals());
        Column p90 = col(LAG_QUANTILES).getItem(1);
        Column sinceClose = datediff(lit(in.asOf()), col(DEAL_CLOSE));
        return dated.join(broadcast(profiles), col(ReconciliationTables.SEGMENT).eqNullSafe(col(L_SEGMENT)), "left")
                .withColumn(T + "lag_status", when(lagging, when(learned.and(sinceClose.gt(p90)), lit(OVERDUE))
                        .otherwise(lit(WITHIN_EXPECTED_LAG))))
                .withColumn(T + "p50", when(lagging.and(learned), col(LAG_QUANTILES).getItem(0)))
                .withColumn(T + "p90", when(lagging.and(learned), p90))
                .withColumn(T + "lag_basis", when(lagging, when(learned, format_string(
                                "learned: %s days since close against the p90 of %s matched deals of the segment first "
                                        + "booked in the last %s nights", sinceClose, deals, lit(rule.historyNights())))
                        .otherwise(format_string("configured booking_lag_days (%s): %s matched deals of the segment "
                                        + "first booked in the last %s nights, fewer than %s", lit(rule.bookingLagDays()),
                                deals, lit(rule.historyNights()), lit(rule.minDeals())))));
    }

    /**
     * Applies tonight's acknowledgements. An acknowledgement holds while {@code until} has not
     * passed, the category is the expected one (if given), and category, amount and variance are
     * those of the night it first applied (kept in {@code acknowledged_*}); else the break is
     * counted again, with the state saying why.
     */
    private static Dataset<Row> acknowledged(Dataset<Row> rows, Inputs in) {
        Column open = col(STATUS).notEqual(RESOLVED);
        if (in.acknowledgements().isEmpty()) {
            // Without the input nothing is acknowledged tonight; the previous snapshot is not carried.
            return rows.withColumn(ACKNOWLEDGED, lit(false))
                    .withColumn(ACKNOWLEDGED_BY, lit(null).cast("string"))
                    .withColumn(ACKNOWLEDGEMENT_REASON, lit(null).cast("string"))
                    .withColumn(ACKNOWLEDGED_UNTIL, lit(null).cast("date"))
                    .withColumn(ACKNOWLEDGEMENT_STATE, lit(null).cast("string"))
                    .withColumn(ACKNOWLEDGED_SINCE, lit(null).cast("date"))
                    .withColumn(ACKNOWLEDGED_CATEGORY, lit(null).cast("string"))
                    .withColumn(ACKNOWLEDGED_AMOUNT, money(lit(null)))
                    .withColumn(ACKNOWLEDGED_VARIANCE, money(lit(null)))
                    .select(columns(LEDGER_SCHEMA));
        }
        Dataset<Row> acks = in.acknowledgements().get().select(col(BREAK_ID).as(A + "id"),
                col(IN_ACKNOWLEDGED_BY).as(A + "by"), col(IN_REASON).as(A + "reason"), col(IN_UNTIL).as(A + "until"),
                col(IN_EXPECTED_CATEGORY).as(A + "expected"));
        Dataset<Row> joined = rows.join(acks, col(BREAK_ID).equalTo(col(A + "id")), "left");
        Column has = col(A + "id").isNotNull();
        Column expired = lit(in.asOf()).gt(col(A + "until"));
        Column categoryDiffers = col(A + "expected").isNotNull().and(col(A + "expected").notEqual(col(CATEGORY)));
        // The same acknowledgement as last night (who, why, until) keeps the snapshot it took then.
        Column carried = has.and(col(P + ACKNOWLEDGED_SINCE).isNotNull())
                .and(col(P + ACKNOWLEDGED_BY).eqNullSafe(col(A + "by")))
                .and(col(P + ACKNOWLEDGEMENT_REASON).eqNullSafe(col(A + "reason")))
                .and(col(P + ACKNOWLEDGED_UNTIL).eqNullSafe(col(A + "until")));
        Column takes = has.and(open).and(expired.equalTo(false)).and(categoryDiffers.equalTo(false));
        Column since = when(carried, col(P + ACKNOWLEDGED_SINCE)).when(takes, lit(in.asOf()));
        Column snapCategory = when(carried, col(P + ACKNOWLEDGED_CATEGORY)).when(takes, col(CATEGORY));
        Column snapAmount = when(carried, col(P + ACKNOWLEDGED_AMOUNT)).when(takes, col(AMOUNT));
        Column snapVariance = when(carried, col(P + ACKNOWLEDGED_VARIANCE)).when(takes, col(VARIANCE));
        Column changed = carried.and(col(CATEGORY).eqNullSafe(col(P + ACKNOWLEDGED_CATEGORY)).equalTo(false)
                .or(col(AMOUNT).eqNullSafe(col(P + ACKNOWLEDGED_AMOUNT)).equalTo(false))
                .or(col(VARIANCE).eqNullSafe(col(P + ACKNOWLEDGED_VARIANCE)).equalTo(false)));
        Column state = when(has.equalTo(false), lit(null).cast("string"))
                .when(open.equalTo(false), lit(ACK_BREAK_RESOLVED))
                .when(expired, lit(ACK_EXPIRED))
                .when(categoryDiffers, lit(ACK_CATEGORY_DIFFERS))
                .when(changed, lit(ACK_VOIDED_BY_CHANGE))
                .otherwise(lit(ACK_APPLIED));
        return joined.withColumn(ACKNOWLEDGEMENT_STATE, state)
                .withColumn(ACKNOWLEDGED, coalesce(col(ACKNOWLEDGEMENT_STATE).equalTo(ACK_APPLIED), lit(false)))
                .withColumn(SINCE, since).withColumn(SNAP_C, snapCategory)
                .withColumn(SNAP_A, snapAmount).withColumn(SNAP_V, snapVariance)
                .withColumn(ACKNOWLEDGED_BY, col(A + "by"))
                .withColumn(ACKNOWLEDGEMENT_REASON, col(A + "reason"))
                .withColumn(ACKNOWLEDGED_UNTIL, col(A + "until"))
                .withColumn(ACKNOWLEDGED_SINCE, col(SINCE))
                .withColumn(ACKNOWLEDGED_CATEGORY, col(SNAP_C))
                .withColumn(ACKNOWLEDGED_AMOUNT, money(col(SNAP_A)))
                .withColumn(ACKNOWLEDGED_VARIANCE, money(col(SNAP_V)))
                .select(columns(LEDGER_SCHEMA));
    }

    /** Every acknowledgement row with what it did tonight; a break id the ledger does not know is reported, not dropped. */
    private static Dataset<Row> acknowledgementOutcomes(Dataset<Row> acks, Dataset<Row> ledger) {
        Dataset<Row> known = ledger.select(col(BREAK_ID).as(KNOWN_BREAK), col(STATUS), col(CATEGORY), col(AMOUNT),
                col(ACKNOWLEDGEMENT_STATE).as(L_STATE));
        return acks.join(known, col(BREAK_ID).equalTo(col(KNOWN_BREAK)), "left")
                .withColumn(STATE, when(col(KNOWN_BREAK).isNull(), lit(ACK_UNKNOWN_BREAK)).otherwise(col(L_STATE)))
                .select(ACKNOWLEDGEMENT_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /**
     * From category to category since the previous night, per pair: rows and amount (tonight's,
     * or the last one for a row gone). A row not there the previous night comes from
     * {@code (new)}, a row no longer there goes to {@code (gone)}; pairs that stayed are included.
     */
    private static Dataset<Row> transitions(Inputs in) {
        Dataset<Row> now = keyedCategories(in.reconciliation(), T);
        Optional<LocalDate> previousAsOf = in.previous().map(Previous::asOf);
        Dataset<Row> before = in.previous().map(p -> keyedCategories(p.reconciliation(), P))
                .orElseGet(() -> now.filter(lit(false)).select(col(T + "id").as(P + "id"),
                        col(T + "category").as(P + "category"), col(T + "amount").as(P + "amount")));
        return now.join(before, col(T + "id").equalTo(col(P + "id")), "full_outer")
                .groupBy(coalesce(col(P + "category"), lit(NEW_ROW)).as(FROM_CATEGORY),
                        coalesce(col(T + "category"), lit(GONE_ROW)).as(TO_CATEGORY))
                .agg(count(lit(1)).as(ROWS),
                        money(sum(when(col(T + "id").isNotNull(), col(T + "amount")).otherwise(col(P + "amount"))))
                                .as(AMOUNT))
                .withColumn(PREVIOUS_AS_OF, lit(previousAsOf.orElse(null)).cast("date"))
                .select(TRANSITION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    private static Dataset<Row> keyedCategories(Dataset<Row> reconciliation, String prefix) {
        return reconciliation.select(
                BreakId.of(col(ReconciliationTables.OPPORTUNITY_ID), col(ReconciliationTables.BOOKING_IDS)).as(prefix + "id"),
                col(ReconciliationTables.CATEGORY).as(prefix + "category"), money(breakAmount()).as(prefix + "amount"));
    }

    /** The stored ledger with the types and names it was written with (a warehouse may return others). */
    static Dataset<Row> conform(Dataset<Row> stored) {
        java.util.Set<String> present = java.util.Set.of(stored.columns());
        // A column added since the stored night was written reads as null (not known then).
        return stored.select(Arrays.stream(LEDGER_SCHEMA.fields())
                .map(f -> (present.contains(f.name()) ? col(f.name()) : lit(null)).cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new));
    }

    private static Dataset<Row> prefixed(Dataset<Row> rows, String prefix) {
        return rows.select(Arrays.stream(rows.columns()).map(c -> col(c).as(prefix + c)).toArray(Column[]::new));
    }

    private static Column[] columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(StructField::name).map(c -> col(c)).toArray(Column[]::new);
    }

    private static Column money(Column amount) {
        return amount.cast(ColumnType.DECIMAL.sparkType());
    }
}
