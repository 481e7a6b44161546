package dev.handshake.sample;

import static dev.handshake.sample.LeadPlan.OPPORTUNITY;
import static dev.handshake.sample.LeadPlan.seconds;
import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.SampleCalendar.HOUR;
import static dev.handshake.sample.Tables.date;
import static dev.handshake.sample.Tables.ts;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.CanonicalTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * CRM tables derived from the plan: leads, lead_status_history, activities, field_history, and the
 * users directory. Child rows come from an array per lead exploded in place (no joins), and only
 * ever carry evidence the plan decided the lead has.
 */
final class CrmTables {
    static final String CHANGE_REASON_ASSIGNMENT = "Assignment rule";

    private final SampleCalendar cal;
    private final SampleDirectory dir;
    private final Draws draws;

    CrmTables(SampleCalendar cal, SampleDirectory dir, Draws draws) {
        this.cal = cal;
        this.dir = dir;
        this.draws = draws;
    }

    private Column u(String salt) {
        return draws.u(col(ID), salt);
    }

    private Column h(String salt) {
        return draws.hash(col(ID), salt);
    }

    private static Column kindIs(LeadKind kind) {
        return col(KIND).equalTo(lit(kind.code));
    }

    /** One row per lead id, plus a second, conflicting row for each planted duplicate key. */
    Dataset<Row> leads(Dataset<Row> plan) {
        Dataset<Row> rows = plan.withColumn("copy", explode(when(kindIs(LeadKind.DUPLICATE_KEY),
                array(lit(0), lit(1))).otherwise(array(lit(0)))));
        Column conflicting = col("copy").equalTo(lit(1));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("lead_id", when(not(kindIs(LeadKind.NULL_LEAD_ID)), col(LEAD_ID)));
        c.put("created_at", when(not(kindIs(LeadKind.NULL_CREATED_AT)), ts(col(T_CREATED))));
        c.put("lead_source", col(LEAD_SOURCE));
        c.put("campaign_id", col(CAMPAIGN_ID));
        c.put("company", col(COMPANY));
        c.put("segment", col(SEGMENT_LABEL));
        c.put("company_size", when(conflicting, coalesce(col(COMPANY_SIZE), lit(0)).plus(lit(7)))
                .otherwise(col(COMPANY_SIZE)));
        c.put("country", col(COUNTRY));
        c.put("use_case", col(USE_CASE));
        c.put("contact_role", col(CONTACT_ROLE));
        c.put("consent_status", col(CONSENT));
        c.put("email_domain", col(EMAIL_DOMAIN));
        c.put("status", when(conflicting, lit("Recycled")).otherwise(col(LEAD_STATUS)));
        c.put("owner_id", col(LEAD_OWNER));
        c.put("mql_at", ts(col(O_MQL_AT)));
        c.put("assigned_at", ts(col(O_ASSIGNED_AT)));
        c.put("first_touch_at", ts(col(O_FIRST_TOUCH_AT)));
        c.put("accepted_at", ts(col(O_ACCEPTED_AT)));
        c.put("rejected_at", when(col(REJECTED), ts(col(T_REJECTED))));
        c.put("rejection_reason", col(REJECTION_REASON));
        c.put("converted_at", ts(col(O_CONVERTED_AT)));
        c.put("converted_opportunity_id", when(col(HAS_OPP), col(OPP_ID)));
        c.put("is_deleted", kindIs(LeadKind.DELETED));
        return Tables.conform(rows, CanonicalTable.LEADS, c);
    }

    /**
     * Status changes mirroring the lead's own evidence (never adding any), the only MQL evidence of
     * leads planted with {@code mql_hist}, rejections/nurture (mapped to NONE), the unmapped
     * "Stalled" label, and planted malformed rows.
     */
    Dataset<Row> leadStatusHistory(Dataset<Row> plan) {
        Column system = dir.system(h("lsh.system"));
        Column sdr = col(WORKER_SDR);
        Column e = array(
                entry(lit(true), pickStatus(Labels.STATUS_CAPTURED, "lsh.new"), col(T_CREATED), system, 0),
                entry(col(O_MQL_AT).isNotNull().and(u("lsh.mql").lt(lit(0.85))).or(col(MQL_FROM_HISTORY)),
                        pickStatus(Labels.STATUS_MQL, "lsh.mql.label"), col(T_MQL), system, 1),
                entry(col(O_ASSIGNED_AT).isNotNull().and(u("lsh.asg").lt(lit(0.5))),
                        lit(Labels.STATUS_ASSIGNED[0]), col(T_ASSIGNED), system, 2),
                entry(col(TOUCH_EVIDENCE).and(u("lsh.wrk").lt(lit(0.85))),
                        pickStatus(Labels.STATUS_WORKED, "lsh.wrk.label"), col(T_TOUCH), sdr, 3),
                entry(col(O_ACCEPTED_AT).isNotNull().and(u("lsh.sal").lt(lit(0.85))),
                        pickStatus(Labels.STATUS_SAL, "lsh.sal.label"), col(T_SAL), sdr, 4),
                entry(col(F1).geq(lit(OPPORTUNITY)).and(u("lsh.conv").lt(lit(0.9))),
                        lit(Labels.STATUS_CONVERTED[0]), col(T_OPP), sdr, 5),
                entry(col(REJECTED), pickStatus(Labels.STATUS_REJECTED, "lsh.rej.label"), col(T_REJECTED), sdr, 6),
                unmappedEntry(col(STALLED), col(T_TOUCH).plus(lit(2 * DAY)), sdr),
                entry(col(NURTURE), lit(Labels.STATUS_NURTURE), col(T_MQL).plus(lit(7 * DAY)), sdr, 8),
                when(col(Q_STATUS_HISTORY), when(col(Q_STATUS_HISTORY_NULL_STATUS),
                        struct(lit(null).cast("string").as("status"), col(T_CREATED).plus(lit(60L)).as("t"),
                                system.as("by")))
                        .otherwise(struct(lit(Labels.STATUS_CAPTURED[0]).as("status"),
                                lit(null).cast("long").as("t"), system.as("by")))));
        Dataset<Row> rows = Tables.rowsWhere(plan, col(HAS_CHILDREN)).select(col(ID), col(LEAD_ID), explode(e).as("e"))
                .filter(col("e").isNotNull());
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("lead_id", col(LEAD_ID));
        c.put("status", col("e.status"));
        c.put("changed_at", ts(col("e.t")));
        c.put("changed_by", col("e.by"));
        return Tables.conform(rows, CanonicalTable.LEAD_STATUS_HISTORY, c);
    }

    private Column entry(Column include, Column label, Column t, Column by, int slot) {
        Column sloppy = Labels.sloppy(label, draws.u(col(ID), "lsh.sloppy." + slot), 0.02);
        return when(include, struct(sloppy.as("status"), t.as("t"), by.as("by")));
    }

    private static Column unmappedEntry(Column include, Column t, Column by) {
        return when(include, struct(lit(Labels.UNMAPPED_STATUS).as("status"), t.as("t"), by.as("by")));
    }

    private Column pickStatus(String[] labels, String salt) {
        return Draws.oneOf(draws.below(col(ID), salt, labels.length), labels);
    }

    /**
     * Sales activities start at the planned first touch (the only WORKED evidence of leads planted
     * with {@code wrk_act}); marketing emails are never evidence; AE meetings name the opportunity
     * only.
     */
    Dataset<Row> activities(Dataset<Row> plan) {
        Column cutoff = lit(cal.cutoff());
        Column sdr = col(WORKER_SDR);
        Column follow = draws.below(col(ID), "act.follow", 4);
        Column gap = lit(2 * HOUR).plus(seconds(u("act.gap").multiply(3 * DAY)));
        Column salesType = Draws.oneOf(draws.below(col(ID), "act.type", 2), "call", "email");
        Column[] slots = new Column[8];
        slots[0] = activity(col(TOUCH_EVIDENCE), col(LEAD_ID), null, sdr, col(T_TOUCH), salesType, 0);
        for (int k = 1; k <= 3; k++) {
            Column t = col(T_TOUCH).plus(gap.multiply(k));
            slots[k] = activity(col(TOUCH_EVIDENCE).and(follow.geq(lit((long) k))).and(t.lt(cutoff)),
                    col(LEAD_ID), null, sdr, t,
                    Draws.oneOf(draws.below(col(ID), "act.type." + k, 3), "call", "email", "meeting"), k);
        }
        Column tMarketing = col(T_CREATED).plus(lit(2 * HOUR)).plus(seconds(u("act.mkt").multiply(2 * DAY)));
        slots[4] = activity(col(OMIT_WORKED).or(u("act.mkt.any").lt(lit(0.08))).and(tMarketing.lt(cutoff)),
                col(LEAD_ID), null, dir.marketing(h("act.mkt.user")), tMarketing, lit("email"), 4);
        for (int k = 1; k <= 2; k++) {
            Column t = col(T_OPP).plus(lit(DAY).plus(seconds(u("act.opp." + k).multiply(10 * DAY))).multiply(k));
            slots[4 + k] = activity(col(SETTLED).and(t.lt(col(T_END))).and(t.lt(cutoff)), null, col(OPP_ID),
                    col(OPP_FIRST_OWNER), t, lit("meeting"), 4 + k);
        }
        slots[7] = activity(col(Q_ACTIVITY), col(LEAD_ID), null, sdr, lit(null).cast("long"), lit("call"), 7);
        Dataset<Row> rows = Tables.rowsWhere(plan, col(HAS_CHILDREN)).select(explode(array(slots)).as("e"))
                .filter(col("e").isNotNull());
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("activity_id", col("e.activity_id"));
        c.put("lead_id", col("e.lead_id"));
        c.put("opportunity_id", col("e.opportunity_id"));
        c.put("owner_id", col("e.owner_id"));
        c.put("activity_at", ts(col("e.t")));
        c.put("activity_type", col("e.type"));
        return Tables.conform(rows, CanonicalTable.ACTIVITIES, c);
    }

    private static Column activity(Column include, Column leadId, Column oppId, Column owner, Column t, Column type,
                                   int slot) {
        Column noId = lit(null).cast("string");
        return when(include, struct(
                Tables.id("AC", 10, col(ID).multiply(8).plus(lit((long) slot))).as("activity_id"),
                (leadId == null ? noId : leadId).as("lead_id"),
                (oppId == null ? noId : oppId).as("opportunity_id"),
                owner.as("owner_id"), t.as("t"), type.as("type")));
    }

    /**
     * Governed-field changes: assignment by system users (not manual), and the planted manual
     * overrides by people, each with or without a logged reason.
     */
    Dataset<Row> fieldHistory(Dataset<Row> plan) {
        Column noReason = lit(null).cast("string");
        Column system = dir.system(h("fh.system"));
        Column owner = col(OPP_FIRST_OWNER);
        Column amountText = col(AMOUNT).cast("decimal(24,2)").cast("string");
        Column oldAmountText = col(AMOUNT).multiply(lit(new java.math.BigDecimal("1.25"))).cast("decimal(24,2)")
                .cast("string");
        Column stages = lit(Labels.OPEN_STAGES);
        Column j = col(STAGE_INDEX);
        Column size = size(col(PATH));
        Column closedLabel = when(col(WON), lit(Labels.STAGE_WON)).otherwise(lit(Labels.STAGE_LOST));
        Column reopenedLabel = when(col(WON), lit(Labels.OPEN_STAGES[Labels.OPEN_STAGES.length - 1]))
                .otherwise(element_at(stages, j.plus(lit(1))));

        Column assignment = change(lit("lead"), col(LEAD_ID), "owner_id",
                when(u("fh.assign.old").lt(lit(0.6)), lit(SampleDirectory.QUEUE_INBOUND)), col(WORKER_SDR),
                col(T_ASSIGNED), system,
                reason(R_ASSIGNMENT, CHANGE_REASON_ASSIGNMENT));
        Column[] rows = {
            when(col(SYSTEM_ASSIGNMENT_ROW), assignment),
            when(col(Q_FIELD_HISTORY), assignment.withField("t", lit(null).cast("long"))),
            when(col(SOURCE_OVERRIDE), change(lit("lead"), col(LEAD_ID), "lead_source", col(SOURCE_ORIGINAL),
                    lit("Outbound"), col(T_SOURCE_OVERRIDE), col(WORKER_SDR),
                    reason(R_SOURCE, "Self-sourced by SDR"))),
            when(col(REOWNED), change(lit("opportunity"), col(OPP_ID), "owner_id", col(OPP_FIRST_OWNER),
                    col(OPP_OWNER), col(T_REOWNED), dir.manager(h("fh.reown.by")),
                    reason(R_REOWNED, "Territory realignment"))),
            when(col(AMOUNT_OVERRIDE), change(lit("opportunity"), col(OPP_ID), "amount", oldAmountText, amountText,
                    col(T_AMOUNT_OVERRIDE), owner, reason(R_AMOUNT, "Customer revised scope"))),
            when(col(CLOSE_OVERRIDE), change(lit("opportunity"), col(OPP_ID), "close_date",
                    date(col(OLD_CLOSE_DAY)).cast("string"), date(col(CLOSE_DAY)).cast("string"),
                    col(T_CLOSE_OVERRIDE), owner, reason(R_CLOSE, "Customer moved signature date"))),
            when(col(BACKWARD), change(lit("opportunity"), col(OPP_ID), "stage_name",
                    element_at(stages, j.plus(lit(1))), element_at(stages, j.minus(lit(1))),
                    DealPlan.pathTime(j.plus(lit(1))), owner, reason(R_BACKWARD, "Champion left"))),
            when(col(REOPENED), change(lit("opportunity"), col(OPP_ID), "stage_name", closedLabel, reopenedLabel,
                    DealPlan.pathTime(size.minus(lit(2))), dir.manager(h("fh.reopen.by")),
                    reason(R_REOPENED, "Contract redlines reopened"))),
            when(col(LINKAGE_OVERRIDE_ROW), change(lit("opportunity"), col(OPP_ID), "campaign_id", col(CAMPAIGN_ID),
                    noReason, col(T_OPP).plus(lit(HOUR)), dir.revops(h("fh.linkage.by")),
                    reason(R_LINKAGE, "Campaign cleanup")))
        };
        Dataset<Row> exploded = Tables.rowsWhere(plan, col(HAS_CHILDREN)).select(explode(array(rows)).as("e"))
                .filter(col("e").isNotNull());
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("object_type", col("e.object_type"));
        c.put("object_id", col("e.object_id"));
        c.put("field", col("e.field"));
        c.put("old_value", col("e.old_value"));
        c.put("new_value", col("e.new_value"));
        c.put("changed_at", ts(col("e.t")));
        c.put("changed_by", col("e.changed_by"));
        c.put("change_reason", col("e.change_reason"));
        return Tables.conform(exploded, CanonicalTable.FIELD_HISTORY, c);
    }

    private static Column reason(String flag, String text) {
        return when(col(flag), lit(text));
    }

    private static Column change(Column objectType, Column objectId, String field, Column oldValue, Column newValue,
                                 Column t, Column by, Column reason) {
        return struct(objectType.as("object_type"), objectId.as("object_id"), lit(field).as("field"),
                oldValue.cast("string").as("old_value"), newValue.cast("string").as("new_value"), t.as("t"),
                by.as("changed_by"), reason.cast("string").as("change_reason"));
    }

    /** The user directory in role blocks (see {@link SampleDirectory}); raw role labels vary and are sloppy. */
    Dataset<Row> users(SparkSession spark) {
        Column n = col("id").plus(lit(1L));
        Column role = roleBlock(n, "role");
        Column team = roleBlock(n, "team");
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("user_id", SampleDirectory.userId(n));
        c.put("role", role);
        c.put("team", team);
        c.put("is_active", n.lt(lit((long) dir.revopsStart())).or(draws.u(n, "user.active").lt(lit(0.95))));
        return Tables.conform(spark.range(0, dir.users(), 1, 1).toDF(), CanonicalTable.USERS, c);
    }

    private Column roleBlock(Column n, String what) {
        boolean role = what.equals("role");
        Column variant = draws.below(n, "user.role", 6);
        Column sloppy = draws.u(n, "user.sloppy");
        Column region = Draws.oneOf(draws.below(n, "user.region", 3), "NA", "EMEA", "APAC");
        Column result = role ? lit(Labels.UNMAPPED_ROLE) : lit("Solutions");
        Object[][] blocks = {
            {dir.aeStart(), Labels.ROLE_AE, "AE"},
            {dir.sdrStart(), Labels.ROLE_SDR, "SDR"},
            {dir.managerStart(), Labels.ROLE_MANAGER, "Sales Leadership"},
            {dir.marketingStart(), Labels.ROLE_MARKETING, "Marketing"},
            {dir.financeStart(), Labels.ROLE_FINANCE, "Finance"},
            {dir.revopsStart(), Labels.ROLE_REVOPS, "RevOps"},
            {dir.systemStart(), Labels.ROLE_SYSTEM, "Systems"},
        };
        // Each block starts at its first user number; tested from the highest block down.
        Column value = result;
        for (int i = blocks.length - 1; i >= 0; i--) {
            int start = (Integer) blocks[i][0];
            int next = i == 0 ? dir.unmappedStart() : (Integer) blocks[i - 1][0];
            String[] labels = (String[]) blocks[i][1];
            Column label = Draws.oneOf(pmod(variant, lit((long) labels.length)), labels);
            Column v = role ? Labels.sloppy(label, sloppy, 0.1) : concat(
                    lit((String) blocks[i][2] + " "), region);
            value = when(n.geq(lit((long) start)).and(n.lt(lit((long) next))), v).otherwise(value);
        }
        return value;
    }

}
