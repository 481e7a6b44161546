package dev.handshake.audit.restatement;

import dev.handshake.model.ColumnType;
import dev.handshake.model.OutputTable;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Name, columns and values of {@code audit_restatements} ({@code docs/break-ledger.md}, "Restatements
 * of closed periods"): the one place they are written.
 */
public final class RestatementTables {
    public static final String NAME = "audit_restatements";

    public static final String PERIOD = "period";
    public static final String SIDE = "side";
    public static final String RECORD_ID = "record_id";
    public static final String OPPORTUNITY_ID = "opportunity_id";
    public static final String MOVEMENT = "movement";
    public static final String AMOUNT_AT_CLOSE = "amount_at_close";
    public static final String AMOUNT_NOW = "amount_now";
    public static final String DIFFERENCE = "difference";
    public static final String DATE_AT_CLOSE = "date_at_close";
    public static final String DATE_NOW = "date_now";
    public static final String OTHER_PERIOD = "other_period";
    public static final String PERIOD_CLOSE_DATE = "period_close_date";
    public static final String CLOSED_AS_OF = "closed_as_of";

    /** The table as written and as read back the next night (a warehouse's types are cast back to these). */
    public static final StructType SCHEMA = new StructType()
            .add(PERIOD, DataTypes.StringType)
            .add(SIDE, DataTypes.StringType)
            .add(RECORD_ID, DataTypes.StringType)
            .add(OPPORTUNITY_ID, DataTypes.StringType)
            .add(MOVEMENT, DataTypes.StringType)
            .add(AMOUNT_AT_CLOSE, ColumnType.DECIMAL.sparkType())
            .add(AMOUNT_NOW, ColumnType.DECIMAL.sparkType())
            .add(DIFFERENCE, ColumnType.DECIMAL.sparkType())
            .add(DATE_AT_CLOSE, DataTypes.DateType)
            .add(DATE_NOW, DataTypes.DateType)
            .add(OTHER_PERIOD, DataTypes.StringType)
            .add(PERIOD_CLOSE_DATE, DataTypes.DateType)
            .add(CLOSED_AS_OF, DataTypes.DateType);

    /** What moved a record's contribution to a closed period since its close ({@link #MOVEMENT}). */
    public static final String UNCHANGED = "UNCHANGED";
    public static final String LATE_BOOKING = "LATE_BOOKING";
    public static final String REVERSAL = "REVERSAL";
    public static final String LATE_WIN = "LATE_WIN";
    public static final String REDATED = "REDATED";
    public static final String AMOUNT_EDIT = "AMOUNT_EDIT";
    public static final String REMOVED = "REMOVED";
    public static final List<String> MOVEMENTS = List.of(UNCHANGED, LATE_BOOKING, REVERSAL, LATE_WIN, REDATED,
            AMOUNT_EDIT, REMOVED);

    private RestatementTables() {}

    /** Bounded by the closed periods' records, which grow with input: written in parallel. */
    public static final OutputTable OUTPUT = OutputTable.large(NAME, PERIOD, SIDE, RECORD_ID);
}
