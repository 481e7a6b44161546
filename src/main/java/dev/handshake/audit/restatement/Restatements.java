package dev.handshake.audit.restatement;

import static dev.handshake.audit.restatement.RestatementTables.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.when;

import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.model.ColumnType;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Restatements of closed periods ({@code docs/break-ledger.md}): each closed period's CRM and
 * finance bookings as first published after its close, against tonight's, record by record. A
 * record's contribution is the reconciliation's ({@code ReconciliationAudit.contributions}), so a
 * period's rows sum to the bridge's {@code crm_bookings} / {@code finance_bookings} on both nights
 * and their differences sum exactly to the period's movement.
 *
 * <p>The close state is kept in the table itself: a night's rows are a function of the previous
 * successful night's rows and tonight's contributions only, so a backfill in date order rebuilds
 * them and a rerun of a night gives the same rows.
 */
public final class Restatements {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__rs_";
    /** Columns of the close state (carried or taken tonight). */
    private static final String S = PREFIX + "s_";
    /** Columns of tonight's contributions. */
    private static final String N = PREFIX + "n_";
    private static final String CLOSE = PREFIX + "close";
    private static final String NOW_SIDE = PREFIX + "pn_side";
    private static final String NOW_ID = PREFIX + "pn_id";
    private static final String NOW_PERIODS = PREFIX + "pn";
    private static final String CLOSE_SIDE = PREFIX + "pc_side";
    private static final String CLOSE_ID = PREFIX + "pc_id";
    private static final String CLOSE_PERIODS = PREFIX + "pc";

    private Restatements() {}

    /** The previous successful night and its {@code audit_restatements} rows, as stored. */
    public record Previous(LocalDate asOf, Dataset<Row> rows) {
        public Previous {
            requireNonNull(asOf, "asOf is null");
            requireNonNull(rows, "rows is null");
        }
    }

    /**
     * @param contributions   tonight's {@code ReconciliationAudit.contributions}
     * @param closeDays       a period (a month, {@code YYYY-MM}) is closed this many days after its last day
     * @param windowStart     the audit window's first day: a period that began before it is left out
     */
    public record Inputs(LocalDate asOf, Dataset<Row> contributions, Optional<Previous> previous, int closeDays,
                         LocalDate windowStart) {
        public Inputs {
            requireNonNull(asOf, "asOf is null");
            requireNonNull(contributions, "contributions is null");
            requireNonNull(previous, "previous is null");
            requireNonNull(windowStart, "windowStart is null");
            if (closeDays < 0) {
                throw new IllegalArgumentException("Invalid closeDays: " + closeDays);
            }
        }
    }

    /**
     * The day a period is closed: its last day plus {@code closeDays}; null for a period that is
     * not a month written {@code YYYY-MM} (it has no close in this calendar).
     */
    public static Column closeDate(Column period, int closeDays) {
        return date_add(last_day(periodStart(period)), closeDays);
    }

    /** The first day of a period written {@code YYYY-MM}; null for any other period. */
    private static Column periodStart(Column period) {
        return when(period.rlike("^[0-9]{4}-[0-9]{2}$"), try_to_date(concat(period, lit("-01")), "yyyy-MM-dd"));
    }

    public static Dataset<Row> run(Inputs in) {
        LocalDate asOf = in.asOf();
        // Only a period wholly inside the window is followed: one that began before it loses its
        // early records as the window moves, which would read as restatements.
        Dataset<Row> tonight = in.contributions()
                .withColumn(CLOSE, closeDate(col(ReconciliationTables.PERIOD), in.closeDays()))
                .filter(col(CLOSE).leq(lit(asOf)).and(inCalendar(col(ReconciliationTables.PERIOD), in.windowStart())));

        // The close state: carried for a period already closed on the previous night, else taken
        // from tonight (tonight is the first night after its close, or there is no earlier night).
        Optional<LocalDate> before = in.previous().map(Previous::asOf);
        Column closedBefore = before.map(d -> col(CLOSE).leq(lit(d))).orElse(lit(false));
        Dataset<Row> fresh = tonight.filter(not(closedBefore)).select(
                col(ReconciliationTables.PERIOD).as(S + PERIOD), col(ReconciliationTables.SIDE).as(S + SIDE),
                col(ReconciliationTables.RECORD_ID).as(S + RECORD_ID),
                col(ReconciliationTables.OPPORTUNITY_ID).as(S + OPPORTUNITY_ID),
                money(col(ReconciliationTables.AMOUNT)).as(S + AMOUNT_AT_CLOSE),
                col(ReconciliationTables.RECORD_DATE).as(S + DATE_AT_CLOSE), lit(asOf).as(S + CLOSED_AS_OF));
        Dataset<Row> state = in.previous().map(p -> conform(p.rows())
                        .filter(col(AMOUNT_AT_CLOSE).isNotNull())
                        .withColumn(CLOSE, closeDate(col(PERIOD), in.closeDays()))
                        .filter(closedBefore.and(inCalendar(col(PERIOD), in.windowStart())))
                        .select(col(PERIOD).as(S + PERIOD), col(SIDE).as(S + SIDE), col(RECORD_ID).as(S + RECORD_ID),
                                col(OPPORTUNITY_ID).as(S + OPPORTUNITY_ID), col(AMOUNT_AT_CLOSE).as(S + AMOUNT_AT_CLOSE),
                                col(DATE_AT_CLOSE).as(S + DATE_AT_CLOSE), col(CLOSED_AS_OF).as(S + CLOSED_AS_OF))
                        .unionByName(fresh))
                .orElse(fresh);

        Dataset<Row> now = tonight.select(col(ReconciliationTables.PERIOD).as(N + PERIOD),
                col(ReconciliationTables.SIDE).as(N + SIDE), col(ReconciliationTables.RECORD_ID).as(N + RECORD_ID),
                col(ReconciliationTables.OPPORTUNITY_ID).as(N + OPPORTUNITY_ID),
                money(col(ReconciliationTables.AMOUNT)).as(N + AMOUNT_NOW),
                col(ReconciliationTables.RECORD_DATE).as(N + DATE_NOW));
        Dataset<Row> joined = state.join(now, col(S + PERIOD).equalTo(col(N + PERIOD))
                .and(col(S + SIDE).equalTo(col(N + SIDE))).and(col(S + RECORD_ID).equalTo(col(N + RECORD_ID))),
                "full_outer");

        // Where else the record is: tonight (a record that left the period) or in a close state (one
        // that came into it). A record is in one period per side at a time.
        Dataset<Row> periodsNow = in.contributions().groupBy(col(ReconciliationTables.SIDE).as(NOW_SIDE),
                col(ReconciliationTables.RECORD_ID).as(NOW_ID)).agg(collect_set(col(ReconciliationTables.PERIOD))
                .as(NOW_PERIODS));
        Dataset<Row> periodsAtClose = state.groupBy(col(S + SIDE).as(CLOSE_SIDE), col(S + RECORD_ID).as(CLOSE_ID))
                .agg(collect_set(col(S + PERIOD)).as(CLOSE_PERIODS));
        Column inS = col(S + RECORD_ID).isNotNull();
        Column inN = col(N + RECORD_ID).isNotNull();
        Column period = coalesce(col(S + PERIOD), col(N + PERIOD));
        Column side = coalesce(col(S + SIDE), col(N + SIDE));
        Column recordId = coalesce(col(S + RECORD_ID), col(N + RECORD_ID));
        Column other = when(inN.equalTo(false), array_min(array_remove(col(NOW_PERIODS), period)))
                .when(inS.equalTo(false), array_min(array_remove(col(CLOSE_PERIODS), period)));
        Column finance = side.equalTo(ReconciliationTables.FINANCE_SIDE);
        Column negativeNow = col(N + AMOUNT_NOW).lt(0);
        Column movement = when(inS.and(inN).and(col(S + AMOUNT_AT_CLOSE).equalTo(col(N + AMOUNT_NOW))), lit(UNCHANGED))
                .when(inS.and(inN), when(finance.and(negativeNow).and(col(S + AMOUNT_AT_CLOSE).geq(0)), lit(REVERSAL))
                        .otherwise(lit(AMOUNT_EDIT)))
                .when(inS, when(col(OTHER_PERIOD).isNotNull(), lit(REDATED)).otherwise(lit(REMOVED)))
                .when(col(OTHER_PERIOD).isNotNull(), lit(REDATED))
                .when(finance.and(negativeNow), lit(REVERSAL))
                .when(finance, lit(LATE_BOOKING))
                .otherwise(lit(LATE_WIN));
        Dataset<Row> rows = joined
                .join(periodsNow, side.equalTo(col(NOW_SIDE)).and(recordId.equalTo(col(NOW_ID))), "left")
                .join(periodsAtClose, side.equalTo(col(CLOSE_SIDE)).and(recordId.equalTo(col(CLOSE_ID))), "left")
                .withColumn(OTHER_PERIOD, other)
                .withColumn(MOVEMENT, movement);
        return rows.select(period.as(PERIOD), side.as(SIDE), recordId.as(RECORD_ID),
                coalesce(col(N + OPPORTUNITY_ID), col(S + OPPORTUNITY_ID)).as(OPPORTUNITY_ID), col(MOVEMENT),
                col(S + AMOUNT_AT_CLOSE).as(AMOUNT_AT_CLOSE), col(N + AMOUNT_NOW).as(AMOUNT_NOW),
                money(coalesce(col(N + AMOUNT_NOW), lit(0)).minus(coalesce(col(S + AMOUNT_AT_CLOSE), lit(0))))
                        .as(DIFFERENCE),
                col(S + DATE_AT_CLOSE).as(DATE_AT_CLOSE), col(N + DATE_NOW).as(DATE_NOW), col(OTHER_PERIOD),
                closeDate(period, in.closeDays()).as(PERIOD_CLOSE_DATE),
                // A record new in a period takes the night its period's close state was taken.
                coalesce(col(S + CLOSED_AS_OF), max(col(S + CLOSED_AS_OF)).over(Window.partitionBy(period)))
                        .as(CLOSED_AS_OF));
    }

    private static Column inCalendar(Column period, LocalDate windowStart) {
        return periodStart(period).geq(lit(windowStart));
    }

    /** Stored rows in this table's columns and types (a column added since reads as null). */
    static Dataset<Row> conform(Dataset<Row> stored) {
        Set<String> present = Set.of(stored.columns());
        return stored.select(Arrays.stream(SCHEMA.fields())
                .map(f -> (present.contains(f.name()) ? col(f.name()) : lit(null)).cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new));
    }

    private static Column money(Column amount) {
        return amount.cast(ColumnType.DECIMAL.sparkType());
    }
}
