package dev.handshake.sample;

import java.util.List;

/**
 * Column names of the internal per-lead plan (see {@link LeadPlan}): the generator's own truth,
 * from which every table row and every manifest count is derived. Never written out.
 * Instants are epoch seconds (t_*), dates epoch days (*_day).
 */
final class Plan {
    private Plan() {}

    // Who the lead is.
    static final String ID = "id";
    static final String PERMUTED = "permuted";
    static final String CAPTURE_DAY = "capture_day";
    static final String CAPTURE_SECOND = "capture_second";
    static final String KIND = "kind";
    static final String HAS_CHILDREN = "has_children";
    static final String LEAD_ID = "p_lead_id";
    static final String SEGMENT = "seg";
    static final String CHANNEL = "chan";
    static final String CAMPAIGN_INDEX = "camp_idx";
    static final String SOURCE_ORIGINAL = "source_original";
    static final String WORKER_SDR = "worker_sdr";

    // Lead attributes as written (planted gaps included) and their gap flags.
    static final String COMPANY = "o_company";
    static final String SEGMENT_LABEL = "o_segment";
    static final String COMPANY_SIZE = "o_company_size";
    static final String COUNTRY = "o_country";
    static final String USE_CASE = "o_use_case";
    static final String CONTACT_ROLE = "o_contact_role";
    static final String CONSENT = "o_consent_status";
    /** lead_source as captured (with planted gaps); {@link #LEAD_SOURCE} is the current value. */
    static final String LEAD_SOURCE_CAPTURED = "lead_source_captured";
    static final String LEAD_SOURCE = "o_lead_source";
    static final String CAMPAIGN_ID = "o_campaign_id";
    static final String EMAIL_DOMAIN = "o_email_domain";
    static final String MISSING_PREFIX = "miss_";
    static final String BLANK_ANY = "blank_any";
    static final String SOURCE_OVERRIDE = "source_override";
    static final String T_SOURCE_OVERRIDE = "t_source_override";

    // Planned instants.
    static final String T_CREATED = "t_created";
    static final String T_MQL = "t_mql";
    static final String T_ASSIGNED = "t_asg";
    static final String T_TOUCH = "t_touch";
    static final String T_SAL = "t_sal";
    static final String T_OPP = "t_opp";
    static final String T_CLOSE = "t_close";
    static final String T_CLOSE_PLANNED = "t_close_planned";
    static final String T_CLOSE_RECENT = "t_close_recent";
    static final String T_REJECTED = "t_rej";
    static final String SLA_BREACH = "sla_breach";
    static final String LATE_CONVERSION = "late_conv";

    // Funnel truth.
    static final String F_DRAW = "f_draw";
    static final String F_TIME = "f_time";
    static final String F0 = "f0";
    static final String F1 = "f1";
    static final String FUTURE = "future";
    static final String F = "f";
    static final String UNDONE = "undone";
    static final String FUTURE_TOUCH = "future_touch";
    static final String FUTURE_CONVERSION = "future_conv";
    static final String FUTURE_WON = "future_won";
    static final String OUTBOUND = "outbound";
    static final String OMIT_MQL = "omit_mql";
    static final String MQL_FROM_HISTORY = "mql_hist";
    static final String OMIT_ASSIGNED = "omit_asg";
    static final String OMIT_WORKED = "omit_wrk";
    static final String WORKED_FROM_ACTIVITY = "wrk_act";
    static final String OMIT_SAL = "omit_sal";
    static final String OPP_FROM_LINK = "opp_link";
    static final String REJECTED = "rejected";
    static final String REJECTION_CATEGORY = "rej_cat";
    static final String REJECTION_REASON = "rej_reason";
    static final String STALLED = "stalled";
    static final String NURTURE = "nurture";
    static final String STATUS_CLEAN = "status_clean";
    static final String LEAD_STATUS = "o_status";
    static final String LEAD_OWNER = "o_lead_owner";

    // Lead evidence columns as written (null = absent).
    static final String O_MQL_AT = "o_mql_at";
    static final String O_ASSIGNED_AT = "o_assigned_at";
    static final String O_FIRST_TOUCH_AT = "o_first_touch_at";
    static final String O_ACCEPTED_AT = "o_accepted_at";
    static final String O_CONVERTED_AT = "o_converted_at";
    static final String TOUCH_EVIDENCE = "touch_ev";

    // Opportunity.
    static final String HAS_OPP = "has_opp";
    static final String OPP_ID = "p_opp_id";
    static final String ACCOUNT_ID = "p_account_id";
    static final String WON = "won";
    static final String WON_AS_OF = "won_asof";
    static final String LOST = "lost";
    static final String OPEN = "open";
    static final String SETTLED = "settled";
    static final String STAGE_INDEX = "stage_j";
    static final String AMOUNT = "amount";
    static final String CURRENCY = "currency";
    static final String OPP_CURRENCY = "o_opp_currency";
    static final String OPP_ACCOUNT = "o_opp_account";
    static final String OPP_AMOUNT = "o_opp_amount";
    static final String OPP_CLOSE_DAY = "o_close_day";
    static final String OPP_TYPE = "opp_type";
    static final String OPP_OWNER = "o_opp_owner";
    static final String OPP_FIRST_OWNER = "opp_first_owner";
    static final String OWNER_NOT_AE = "owner_not_ae";
    static final String REOWNED = "reowned";
    static final String T_REOWNED = "t_reowned";
    static final String OPP_SOURCE = "o_opp_source";
    static final String OPP_CAMPAIGN = "o_opp_campaign";
    static final String LEAD_HAS_CAMPAIGN = "lead_has_campaign";
    static final String LINKAGE_LOST = "linkage_lost";
    static final String LINKAGE_OVERRIDE_ROW = "linkage_override_row";
    static final String MISSING_OPP_AMOUNT = "miss_opp_amount";
    static final String MISSING_OPP_CLOSE = "miss_opp_close";
    static final String LOSS_CATEGORY = "loss_cat";
    static final String LOSS_REASON = "loss_reason";
    static final String STAGE_NAME = "o_stage_name";
    static final String PATH = "path";
    static final String T_END = "t_end";
    static final String BACKWARD = "backward";
    static final String REOPENED = "reopened";
    static final String VERBAL_WON = "verbal_won";
    static final String VERBAL_OPEN = "verbal_open";
    static final String AMOUNT_OVERRIDE = "amount_override";
    static final String T_AMOUNT_OVERRIDE = "t_amount_override";
    static final String CLOSE_OVERRIDE = "close_override";
    static final String T_CLOSE_OVERRIDE = "t_close_override";
    static final String OLD_CLOSE_DAY = "old_close_day";

    // Finance.
    static final String CLOSE_DAY = "close_day";
    static final String MONTH_END_DAY = "month_end_day";
    /** The booking day a PERIOD_MISMATCH case would get: 1-5 days into the next month. */
    static final String NEXT_MONTH_DAY = "next_month_day";
    static final String RECON = "recon";
    static final String BOOKING1_DAY = "b1_day";
    static final String BOOKING2_DAY = "b2_day";
    static final String BOOKING1_AMOUNT = "b1_amount";
    static final String BOOKED_EVIDENCE = "booked_ev";
    static final String LAG_DAYS = "lag_days";
    static final String MISSING_OPP_CURRENCY = "miss_opp_currency";
    static final String MISSING_OPP_ACCOUNT = "miss_opp_account";

    // Rows bound for quarantine in child tables.
    static final String Q_STATUS_HISTORY = "q_lsh";
    static final String Q_ACTIVITY = "q_act";
    static final String Q_FIELD_HISTORY = "q_fh";
    static final String Q_OPP_HISTORY = "q_oh";
    static final String Q_STATUS_HISTORY_NULL_STATUS = "q_lsh_null_status";
    static final String Q_OPP_HISTORY_NULL_STAGE = "q_oh_null_stage";
    static final String SYSTEM_ASSIGNMENT_ROW = "sys_assign_row";

    // Whether a field_history row carries a change_reason (R_*), per row kind.
    static final String R_ASSIGNMENT = "r_assign";
    static final String R_SOURCE = "r_source";
    static final String R_REOWNED = "r_reown";
    static final String R_AMOUNT = "r_amount";
    static final String R_CLOSE = "r_close";
    static final String R_BACKWARD = "r_backward";
    static final String R_REOPENED = "r_reopen";
    static final String R_LINKAGE = "r_linkage";

    /** Columns only later plan stages read; dropped before the plan is cached for the tables. */
    static final List<String> INTERMEDIATE = List.of(PERMUTED, CAPTURE_DAY, CAPTURE_SECOND, SEGMENT,
            F_DRAW, F_TIME, F0, FUTURE, T_CLOSE, T_CLOSE_PLANNED, T_CLOSE_RECENT, STATUS_CLEAN, LEAD_SOURCE_CAPTURED,
            OPEN, MONTH_END_DAY, NEXT_MONTH_DAY);
}
