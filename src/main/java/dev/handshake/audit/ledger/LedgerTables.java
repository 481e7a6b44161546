package dev.handshake.audit.ledger;

import dev.handshake.model.ColumnType;
import dev.handshake.model.OutputTable;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Names, columns and values of the tables that carry reconciliation breaks from night to night
 * ({@code docs/break-ledger.md}): the break ledger, the category transitions and the outcome of
 * each acknowledgement. The one place these names are written.
 */
public final class LedgerTables {
    public static final String LEDGER = "audit_break_ledger";
    public static final String TRANSITIONS = "audit_category_transitions";
    public static final String ACKNOWLEDGEMENTS = "audit_acknowledgements";

    public static final String BREAK_ID = "break_id";
    public static final String OPPORTUNITY_ID = "opportunity_id";
    public static final String BOOKING_IDS = "booking_ids";
    public static final String STATUS = "status";
    public static final String CATEGORY = "category";
    public static final String FIRST_CATEGORY = "first_category";
    public static final String AMOUNT = "amount";
    public static final String FIRST_AMOUNT = "first_amount";
    public static final String VARIANCE = "variance";
    public static final String FIRST_SEEN_AS_OF = "first_seen_as_of";
    public static final String LAST_SEEN_AS_OF = "last_seen_as_of";
    public static final String NIGHTS_OPEN = "nights_open";
    public static final String EARLIEST_DATE = "earliest_date";
    public static final String AGE_DAYS = "age_days";
    public static final String RESOLVED_AS_OF = "resolved_as_of";
    public static final String RESOLUTION = "resolution";
    public static final String SEGMENT = "segment";
    public static final String OWNER_ID = "owner_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String LAG_STATUS = "lag_status";
    public static final String EXPECTED_LAG_DAYS_P50 = "expected_lag_days_p50";
    public static final String EXPECTED_LAG_DAYS_P90 = "expected_lag_days_p90";
    public static final String LAG_BASIS = "lag_basis";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String ACKNOWLEDGED_BY = "acknowledged_by";
    public static final String ACKNOWLEDGEMENT_REASON = "acknowledgement_reason";
    public static final String ACKNOWLEDGED_UNTIL = "acknowledged_until";
    public static final String ACKNOWLEDGEMENT_STATE = "acknowledgement_state";
    public static final String ACKNOWLEDGED_SINCE = "acknowledged_since";
    public static final String ACKNOWLEDGED_CATEGORY = "acknowledged_category";
    public static final String ACKNOWLEDGED_AMOUNT = "acknowledged_amount";
    public static final String ACKNOWLEDGED_VARIANCE = "acknowledged_variance";

    /** The ledger as written and as read back the next night (a warehouse's types are cast back to these). */
    public static final StructType LEDGER_SCHEMA = new StructType()
            .add(BREAK_ID, DataTypes.StringType)
            .add(OPPORTUNITY_ID, DataTypes.StringType)
            .add(BOOKING_IDS, DataTypes.StringType)
            .add(STATUS, DataTypes.StringType)
            .add(CATEGORY, DataTypes.StringType)
            .add(FIRST_CATEGORY, DataTypes.StringType)
            .add(AMOUNT, ColumnType.DECIMAL.sparkType())
            .add(FIRST_AMOUNT, ColumnType.DECIMAL.sparkType())
            .add(VARIANCE, ColumnType.DECIMAL.sparkType())
            .add(FIRST_SEEN_AS_OF, DataTypes.DateType)
            .add(LAST_SEEN_AS_OF, DataTypes.DateType)
            .add(NIGHTS_OPEN, DataTypes.IntegerType)
            .add(EARLIEST_DATE, DataTypes.DateType)
            .add(AGE_DAYS, DataTypes.IntegerType)
            .add(RESOLVED_AS_OF, DataTypes.DateType)
            .add(RESOLUTION, DataTypes.StringType)
            .add(SEGMENT, DataTypes.StringType)
            .add(OWNER_ID, DataTypes.StringType)
            .add(ACCOUNT_ID, DataTypes.StringType)
            .add(LAG_STATUS, DataTypes.StringType)
            .add(EXPECTED_LAG_DAYS_P50, DataTypes.DoubleType)
            .add(EXPECTED_LAG_DAYS_P90, DataTypes.DoubleType)
            .add(LAG_BASIS, DataTypes.StringType)
            .add(ACKNOWLEDGED, DataTypes.BooleanType)
            .add(ACKNOWLEDGED_BY, DataTypes.StringType)
            .add(ACKNOWLEDGEMENT_REASON, DataTypes.StringType)
            .add(ACKNOWLEDGED_UNTIL, DataTypes.DateType)
            .add(ACKNOWLEDGEMENT_STATE, DataTypes.StringType)
            .add(ACKNOWLEDGED_SINCE, DataTypes.DateType)
            .add(ACKNOWLEDGED_CATEGORY, DataTypes.StringType)
            .add(ACKNOWLEDGED_AMOUNT, ColumnType.DECIMAL.sparkType())
            .add(ACKNOWLEDGED_VARIANCE, ColumnType.DECIMAL.sparkType());

    /** Break statuses (the ledger's {@code status}). */
    public static final String NEW = "NEW";
    public static final String OPEN = "OPEN";
    public static final String CHANGED = "CHANGED";
    public static final String RESOLVED = "RESOLVED";
    public static final String REOPENED = "REOPENED";
    public static final List<String> STATUSES = List.of(NEW, OPEN, CHANGED, RESOLVED, REOPENED);

    /** The sub-category of a LAGGING break (the category itself is unchanged). */
    public static final String WITHIN_EXPECTED_LAG = "WITHIN_EXPECTED_LAG";
    public static final String OVERDUE = "OVERDUE";

    /** Why a break was resolved. */
    public static final String RESOLVED_MATCHED = "MATCHED";
    public static final String RESOLVED_GONE = "GONE";

    /** What an acknowledgement does tonight (ledger {@code acknowledgement_state}, acknowledgements {@code state}). */
    public static final String ACK_APPLIED = "ACKNOWLEDGED";
    public static final String ACK_EXPIRED = "EXPIRED";
    public static final String ACK_CATEGORY_DIFFERS = "CATEGORY_DIFFERS";
    public static final String ACK_VOIDED_BY_CHANGE = "VOIDED_BY_CHANGE";
    public static final String ACK_BREAK_RESOLVED = "BREAK_RESOLVED";
    public static final String ACK_UNKNOWN_BREAK = "UNKNOWN_BREAK";

    /** Acknowledgement input columns (the optional {@code acknowledgements} input table). */
    public static final String IN_ACKNOWLEDGED_BY = "acknowledged_by";
    public static final String IN_REASON = "reason";
    public static final String IN_UNTIL = "until";
    public static final String IN_EXPECTED_CATEGORY = "expected_category";

    public static final String STATE = "state";
    public static final List<String> ACKNOWLEDGEMENT_COLUMNS = List.of(BREAK_ID, IN_ACKNOWLEDGED_BY, IN_REASON,
            IN_UNTIL, IN_EXPECTED_CATEGORY, STATE, STATUS, CATEGORY, AMOUNT);

    /** Category transitions. */
    public static final String PREVIOUS_AS_OF = "previous_as_of";
    public static final String FROM_CATEGORY = "from_category";
    public static final String TO_CATEGORY = "to_category";
    public static final String ROWS = "rows";
    public static final String NEW_ROW = "(new)";
    public static final String GONE_ROW = "(gone)";
    public static final List<String> TRANSITION_COLUMNS = List.of(PREVIOUS_AS_OF, FROM_CATEGORY, TO_CATEGORY, ROWS,
            AMOUNT);

    private LedgerTables() {}

    /** One row per open or recently resolved break: grows with input. */
    public static final OutputTable LEDGER_OUTPUT = OutputTable.large(LEDGER, BREAK_ID);
    public static final OutputTable TRANSITIONS_OUTPUT = OutputTable.small(TRANSITIONS, FROM_CATEGORY, TO_CATEGORY);
    public static final OutputTable ACKNOWLEDGEMENTS_OUTPUT = OutputTable.small(ACKNOWLEDGEMENTS, BREAK_ID);
}
