package dev.handshake.model;

import static dev.handshake.model.ColumnSpec.opt;
import static dev.handshake.model.ColumnSpec.req;
import static dev.handshake.model.ColumnType.BOOLEAN;
import static dev.handshake.model.ColumnType.DATE;
import static dev.handshake.model.ColumnType.DECIMAL;
import static dev.handshake.model.ColumnType.INT;
import static dev.handshake.model.ColumnType.STRING;
import static dev.handshake.model.ColumnType.TIMESTAMP;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The logical input tables of {@code docs/input-contract.md} and the break ledger's acknowledgements
 * ({@code docs/break-ledger.md}): the one place their column names,
 * types, required columns and keys are written down.
 */
public enum CanonicalTable {
    LEADS(true, List.of("lead_id"),
            req("lead_id", STRING), req("created_at", TIMESTAMP), opt("lead_source", STRING),
            opt("campaign_id", STRING), opt("company", STRING), opt("segment", STRING),
            opt("company_size", INT), opt("country", STRING), opt("use_case", STRING),
            opt("contact_role", STRING), opt("consent_status", STRING), opt("email_domain", STRING),
            opt("status", STRING), opt("owner_id", STRING), opt("mql_at", TIMESTAMP),
            opt("assigned_at", TIMESTAMP), opt("first_touch_at", TIMESTAMP),
            opt("accepted_at", TIMESTAMP), opt("rejected_at", TIMESTAMP),
            opt("rejection_reason", STRING), opt("converted_at", TIMESTAMP),
            opt("converted_opportunity_id", STRING), opt("is_deleted", BOOLEAN)),
    LEAD_STATUS_HISTORY(false, List.of(),
            req("lead_id", STRING), req("status", STRING), req("changed_at", TIMESTAMP),
            opt("changed_by", STRING)),
    OPPORTUNITIES(true, List.of("opportunity_id"),
            req("opportunity_id", STRING), opt("account_id", STRING), req("created_at", TIMESTAMP),
            opt("owner_id", STRING), opt("stage_name", STRING), opt("amount", DECIMAL),
            opt("currency_code", STRING), opt("close_date", DATE), opt("is_closed", BOOLEAN),
            opt("is_won", BOOLEAN), opt("opportunity_type", STRING), opt("segment", STRING), opt("lead_source", STRING),
            opt("campaign_id", STRING), opt("loss_reason", STRING), opt("is_deleted", BOOLEAN)),
    OPPORTUNITY_HISTORY(true, List.of(),
            req("opportunity_id", STRING), req("stage_name", STRING), opt("amount", DECIMAL),
            opt("close_date", DATE), req("changed_at", TIMESTAMP), opt("changed_by", STRING)),
    FIELD_HISTORY(false, List.of(),
            req("object_type", STRING), req("object_id", STRING), req("field", STRING),
            opt("old_value", STRING), opt("new_value", STRING), req("changed_at", TIMESTAMP),
            opt("changed_by", STRING), opt("change_reason", STRING)),
    // A role assignment: one row per user and role (a user may hold several; audit.UserRoles).
    USERS(true, List.of("user_id", "role"),
            req("user_id", STRING), opt("role", STRING), opt("team", STRING),
            opt("is_active", BOOLEAN)),
    ACTIVITIES(false, List.of("activity_id"),
            req("activity_id", STRING), opt("lead_id", STRING), opt("opportunity_id", STRING),
            opt("owner_id", STRING), req("activity_at", TIMESTAMP), opt("activity_type", STRING)),
    CAMPAIGNS(true, List.of("campaign_id"),
            req("campaign_id", STRING), opt("name", STRING), opt("channel", STRING),
            opt("campaign_type", STRING), opt("start_date", DATE), opt("cost", DECIMAL)),
    CAMPAIGN_TOUCHES(false, List.of("touch_id"),
            req("touch_id", STRING), req("campaign_id", STRING), opt("lead_id", STRING),
            opt("opportunity_id", STRING), req("touched_at", TIMESTAMP), opt("touch_type", STRING),
            opt("utm_source", STRING), opt("utm_medium", STRING), opt("utm_campaign", STRING)),
    BOOKINGS(false, List.of("booking_id"),
            req("booking_id", STRING), opt("opportunity_id", STRING), opt("account_id", STRING),
            req("booking_date", DATE), opt("fiscal_period", STRING), req("amount", DECIMAL),
            opt("currency_code", STRING), opt("arr", DECIMAL), opt("booking_type", STRING),
            opt("status", STRING)),
    FX_RATES(false, List.of("currency_code", "rate_date"),
            req("currency_code", STRING), req("rate_date", DATE), req("rate_to_reporting", DECIMAL)),
    MODELED_METRICS(false, List.of("metric", "period", "segment"),
            req("metric", STRING), req("period", STRING), opt("segment", STRING),
            req("value", DECIMAL), opt("source_model", STRING)),
    /**
     * Finance's marks on known breaks of the break ledger (not a source export): a break id
     * acknowledged by someone, why, until when, and optionally the category it is expected in.
     */
    ACKNOWLEDGEMENTS(false, List.of("break_id"),
            req("break_id", STRING), req("acknowledged_by", STRING), req("reason", STRING),
            req("until", DATE), opt("expected_category", STRING));

    private final boolean required;
    private final List<String> key;
    private final List<ColumnSpec> columns;

    CanonicalTable(boolean required, List<String> key, ColumnSpec... columns) {
        this.required = required;
        this.key = key;
        this.columns = List.of(columns);
    }

    /** snake_case name, as in the contract and as the directory name of a local source. */
    public String tableName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean required() {
        return required;
    }

    /** Columns whose combination must be unique; empty when the table has no key. */
    public List<String> key() {
        return key;
    }

    public List<ColumnSpec> columns() {
        return columns;
    }

    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The Spark schema of the accepted (contract-checked) table. */
    public StructType schema() {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), c.type().sparkType(), !c.required(),
                        org.apache.spark.sql.types.Metadata.empty()))
                .toArray(StructField[]::new));
    }

    /**
     * The column that says when a row happened, if the table has one: a source may leave out rows
     * after the end of {@code as_of} (they have not happened for the run). Reference tables
     * (users, campaigns, modeled metrics) and opportunities' current state have none.
     */
    public Optional<String> eventTime() {
        return Optional.ofNullable(switch (this) {
            case LEADS -> "created_at";
            case LEAD_STATUS_HISTORY, OPPORTUNITY_HISTORY, FIELD_HISTORY -> "changed_at";
            case ACTIVITIES -> "activity_at";
            case CAMPAIGN_TOUCHES -> "touched_at";
            case BOOKINGS -> "booking_date";
            case FX_RATES -> "rate_date";
            default -> null;
        });
    }

    public static Optional<CanonicalTable> byName(String tableName) {
        return Arrays.stream(values()).filter(t -> t.tableName().equals(tableName)).findFirst();
    }
}
