package dev.handshake.sample;

import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.SampleCalendar.HOUR;
import static java.util.Collections.unmodifiableMap;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The per-lead plan: one row per generated lead id, from {@code spark.range}, holding every decision
 * the generator makes about that lead and the opportunity and bookings derived from it. Decisions
 * come first (the furthest funnel stage reached by as_of, which stage evidence is omitted, which
 * failure is planted) and the instants are built to honour them, so manifest counts are sums of
 * these flags rather than a re-reading of timestamps.
 *
 * <p>Funnel stage indices follow section 1 of docs/definitions.md: 0 CAPTURED .. 7 BOOKED; -1 means
 * not even captured by as_of.
 */
final class LeadPlan {
    static final int CAPTURED = 0;
    static final int MQL = 1;
    static final int ASSIGNED = 2;
    static final int WORKED = 3;
    static final int SAL = 4;
    static final int OPPORTUNITY = 5;
    static final int WON_STAGE = 6;
    static final int BOOKED = 7;
    static final String[] STAGES = {"CAPTURED", "MQL", "ASSIGNED", "WORKED", "SAL", "OPPORTUNITY", "WON", "BOOKED"};

    /** Multipliers coprime to 1000: a*slot+b mod 1000 is then a permutation of each id block. */
    private static final int[] UNITS = IntStream.range(1, 1000).filter(i -> i % 2 != 0 && i % 5 != 0).toArray();

    private static final String[] COMPANY_PREFIX = {"Northwind", "Contoso", "Fabrikam", "Globex", "Initech",
            "Tailspin", "Litware", "Adatum", "Proseware", "Lucerne", "Woodgrove", "Wingtip", "Alpine", "Bluefin",
            "Coho", "Fourth"};
    private static final String[] COMPANY_SUFFIX = {"Analytics", "Systems", "Labs", "Logistics", "Health",
            "Retail", "Energy", "Foods", "Software", "Capital", "Media", "Robotics"};
    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "CA", "AU", "NL", "BR", "IN", "JP", "SE", "ES"};
    private static final double[] COUNTRY_WEIGHTS = {45, 10, 8, 6, 6, 5, 4, 4, 4, 3, 2, 3};
    private static final String[] USE_CASES = {"Pipeline Analytics", "Revenue Forecasting", "Data Integration",
            "Customer Onboarding", "Security Compliance"};
    private static final String[] CONTACT_ROLES = {"VP Marketing", "Head of Sales", "CFO", "IT Director",
            "Data Engineer", "Operations Manager"};

    /** Planted gap rate per marketing_to_sales required field (campaign_id: inbound leads only). */
    static final Map<String, Double> GAP_RATES = gapRates();

    private final SampleCalendar cal;
    private final SampleDirectory dir;
    private final Draws draws;

    private LeadPlan(SampleCalendar cal, SampleDirectory dir, Draws draws) {
        this.cal = cal;
        this.dir = dir;
        this.draws = draws;
    }

    static Dataset<Row> build(SparkSession spark, SampleSpec spec, SampleCalendar cal, SampleDirectory dir,
                              Draws draws) {
        LeadPlan p = new LeadPlan(cal, dir, draws);
        Dataset<Row> plan = spark.range(0, spec.leads(), 1, spec.partitions()).toDF();
        plan = p.permutation().applyTo(plan);
        for (PlanStage stage : List.of(p.identity(), p.attributes(), p.timeline(), p.funnel(), p.disposition(),
                p.evidence())) {
            plan = codegenBoundary(stage.applyTo(plan), spec.partitions());
        }
        return DealPlan.extend(plan, spec.partitions(), cal, dir, draws);
    }

    private PlanStage stage() {
        return new PlanStage(draws, col(ID));
    }

    private static Column is(String column, int code) {
        return col(column).equalTo(lit(code));
    }

    private static Column kindIs(LeadKind kind) {
        return is(KIND, kind.code);
    }

    /** A seeded permutation of each block of 1000 ids: exact kind counts per block, random positions. */
    private PlanStage permutation() {
        Column id = col(ID);
        Column block = floor(id.divide(lit(1000)));
        Column slot = pmod(id, lit(1000L));
        Column a = element_at(lit(UNITS),
                pmod(draws.hash(block, "perm.a"), lit((long) UNITS.length)).cast("int").plus(lit(1))).cast("long");
        Column b = pmod(draws.hash(block, "perm.b"), lit(1000L));
        return stage().put(PERMUTED, pmod(a.multiply(slot).plus(b), lit(1000L)));
    }

    private PlanStage identity() {
        PlanStage s = stage();
        Column perm = col(PERMUTED);
        Column kind = lit(LeadKind.COHORT.code);
        int upper = 0;
        for (LeadKind k : LeadKind.values()) {
            if (k != LeadKind.COHORT) {
                upper += k.perMille;
            }
        }
        // Nested from the last band down so the cumulative bands read in enum order.
        LeadKind[] kinds = LeadKind.values();
        for (int i = kinds.length - 1; i >= 0; i--) {
            if (kinds[i] == LeadKind.COHORT) {
                continue;
            }
            kind = when(perm.lt(lit((long) upper)), lit(kinds[i].code)).otherwise(kind);
            upper -= kinds[i].perMille;
        }
        Column day = col(CAPTURE_DAY);
        Column second = col(CAPTURE_SECOND);
        Column inWindow = lit(cal.windowStart()).plus(day.multiply(DAY)).plus(second);
        Column before = lit(cal.windowStart()).minus(lit(1L).plus(s.below("created.pre", 120)).multiply(DAY))
                .plus(second);
        Column after = lit(cal.cutoff()).plus(s.below("created.after", 5).multiply(DAY)).plus(second);

        s.put(KIND, kind);
        s.put(CAPTURE_DAY, cal.captureDayOffset(s.u("created.day")));
        s.put(CAPTURE_SECOND, cal.secondOfDay(s.u("created.hour"), s.u("created.second")));
        s.put(LEAD_ID, Tables.id("L", 9, col(ID)));
        s.put(SEGMENT, Draws.pick(s.u("segment"), new double[] {60, 30, 10}, lit(0), lit(1), lit(2)));
        s.put(CHANNEL, Draws.pick(s.u("channel"), new double[] {24, 14, 12, 10, 18, 22},
                lit(0), lit(1), lit(2), lit(3), lit(4), lit(5)));
        s.put(WORKER_SDR, dir.sdr(s.hash("lead.sdr")));
        s.put(T_CREATED, when(col(KIND).equalTo(lit(LeadKind.PRE_WINDOW.code)), before)
                .when(col(KIND).equalTo(lit(LeadKind.CREATED_AFTER_AS_OF.code)), after)
                .otherwise(inWindow));
        return s;
    }

    private PlanStage attributes() {
        PlanStage s = stage();
        Column chan = col(CHANNEL);
        Column seg = col(SEGMENT);
        Column campaignIndex = when(chan.lt(lit(5)), chan.cast("long").plus(
                lit((long) SampleDirectory.CHANNELS.length).multiply(s.below("campaign", dir.campaigns() / 5))));
        Column prefix = Draws.oneOf(s.below("company.prefix", COMPANY_PREFIX.length), COMPANY_PREFIX);
        Column suffix = Draws.oneOf(s.below("company.suffix", COMPANY_SUFFIX.length), COMPANY_SUFFIX);
        Column sizeLog = when(seg.equalTo(lit(0)), logUniform(s, "size", 5, 199))
                .when(seg.equalTo(lit(1)), logUniform(s, "size", 200, 999))
                .otherwise(logUniform(s, "size", 1000, 50_000));

        s.put(HAS_CHILDREN, kindIs(LeadKind.COHORT).or(kindIs(LeadKind.PRE_WINDOW))
                .or(kindIs(LeadKind.CREATED_AFTER_AS_OF)));
        s.put(OUTBOUND, chan.equalTo(lit(5)));
        s.put(CAMPAIGN_INDEX, campaignIndex);
        Column source = when(chan.equalTo(lit(5)), lit("Outbound"))
                .otherwise(SampleDirectory.leadSourceOf(chan, col(CAMPAIGN_INDEX)));
        s.put(SOURCE_ORIGINAL, source);
        s.put(EMAIL_DOMAIN, concat(lower(prefix), lit("-"), lower(suffix), lit(".example")));

        putGapped(s, "company", COMPANY, concat(prefix, lit(" "), suffix), true);
        putGapped(s, "segment", SEGMENT_LABEL, Draws.oneOf(seg.cast("long"), SegmentRates.SEGMENTS.toArray(String[]::new)), true);
        putGapped(s, "company_size", COMPANY_SIZE, sizeLog, false);
        putGapped(s, "country", COUNTRY, Draws.pickLabel(s.u("country"), COUNTRY_WEIGHTS, COUNTRIES), true);
        putGapped(s, "use_case", USE_CASE, Draws.oneOf(s.below("use_case", USE_CASES.length), USE_CASES), true);
        putGapped(s, "contact_role", CONTACT_ROLE,
                Draws.oneOf(s.below("contact_role", CONTACT_ROLES.length), CONTACT_ROLES), true);
        putGapped(s, "consent_status", CONSENT,
                Draws.pickLabel(s.u("consent"), new double[] {70, 20, 10}, "opted_in", "unknown", "opted_out"), true);
        putGapped(s, "lead_source", LEAD_SOURCE_CAPTURED, source, true);
        // Outbound leads never carry a campaign: a natural gap, not a planted one.
        Column campaignGap = s.u("gap.campaign_id").lt(lit(GAP_RATES.get("campaign_id")));
        s.put(MISSING_PREFIX + "campaign_id", chan.equalTo(lit(5)).or(campaignGap));
        s.put(LEAD_HAS_CAMPAIGN, chan.lt(lit(5)).and(not(campaignGap)));
        s.put(CAMPAIGN_ID, when(chan.lt(lit(5)).and(not(campaignGap)), SampleDirectory.campaignId(col(CAMPAIGN_INDEX)))
                .when(chan.lt(lit(5)).and(s.u("blank.campaign_id").lt(lit(0.3))), lit("")));
        Column anyBlank = lit(false);
        for (String field : GAP_RATES.keySet()) {
            if (!field.equals("company_size")) {
                anyBlank = anyBlank.or(gap(s, field).and(s.u("blank." + field).lt(lit(0.3))));
            }
        }
        s.put(BLANK_ANY, anyBlank);
        return s;
    }

    /** The planted gap flag of a required field; campaign_id's planted gap applies to inbound leads only. */
    private static Column gap(PlanStage s, String field) {
        Column planted = s.u("gap." + field).lt(lit(GAP_RATES.get(field)));
        return field.equals("campaign_id") ? planted.and(col(CHANNEL).lt(lit(5))) : planted;
    }

    /** A field written null (or, for strings, blank in 30% of gaps) where a gap is planted. */
    private static void putGapped(PlanStage s, String field, String column, Column value, boolean blankable) {
        Column gap = gap(s, field);
        s.put(MISSING_PREFIX + field, gap);
        Column blank = blankable ? when(s.u("blank." + field).lt(lit(0.3)), lit("  ")) : null;
        s.put(column, blank == null ? when(not(gap), value) : when(not(gap), value).otherwise(blank));
    }

    private static Column logUniform(PlanStage s, String salt, int lo, int hi) {
        double a = Math.log(lo);
        double b = Math.log(hi + 1);
        return least(lit(hi), floor(exp(s.u(salt).multiply(b - a).plus(a))).cast("int"));
    }

    private PlanStage timeline() {
        PlanStage s = stage();
        Column seg = col(SEGMENT);
        Column outbound = col(OUTBOUND);
        Column scale = when(seg.equalTo(lit(0)), lit(1.0)).when(seg.equalTo(lit(1)), lit(1.5)).otherwise(lit(2.2));
        Column mqlDelay = when(s.u("mql.fast").lt(lit(0.7)), s.u("mql.delay").multiply(2 * HOUR))
                .otherwise(s.u("mql.delay").multiply(3 * DAY - 2 * HOUR).plus(2 * HOUR));
        Column tMql = when(outbound, col(T_CREATED)).otherwise(col(T_CREATED).plus(seconds(mqlDelay)));
        Column tAssigned = when(outbound, col(T_CREATED).plus(lit(60L)).plus(seconds(s.u("asg.delay").multiply(HOUR))))
                .otherwise(col(T_MQL).plus(lit(300L)).plus(seconds(s.u("asg.delay").multiply(2 * HOUR - 300))));
        Column breach = not(outbound).and(s.u("sla.breach").lt(lit(0.10)));
        // Met: at most 22h after the MQL instant; breached: 25h to 120h after it (SLA is 24h).
        Column touchDelay = when(col(SLA_BREACH), s.u("touch.delay").multiply(95 * HOUR).plus(25 * HOUR))
                .otherwise(s.u("touch.delay").multiply(22 * HOUR - 600).plus(600));
        Column tTouch = when(outbound, col(T_ASSIGNED).plus(lit(600L)).plus(seconds(s.u("touch.delay").multiply(3 * DAY))))
                .otherwise(greatest(col(T_ASSIGNED).plus(lit(300L)), col(T_MQL).plus(seconds(touchDelay))));
        Column tSal = col(T_TOUCH).plus(lit(HOUR)).plus(seconds(s.u("sal.delay").multiply(scale).multiply(10 * DAY)));
        // sdr_to_ae: the opportunity follows acceptance within 4.5 days, or (planted) after 6-25 days.
        Column tOpp = col(T_SAL).plus(seconds(when(col(LATE_CONVERSION),
                s.u("opp.delay").multiply(19 * DAY).plus(6 * DAY)).otherwise(s.u("opp.delay").multiply(4.5 * DAY))));
        Column cycleLo = when(seg.equalTo(lit(0)), lit(10)).when(seg.equalTo(lit(1)), lit(25)).otherwise(lit(45));
        Column cycleHi = when(seg.equalTo(lit(0)), lit(60)).when(seg.equalTo(lit(1)), lit(120)).otherwise(lit(200));
        Column cycle = cycleLo.plus(pow(s.u("cycle"), lit(1.3)).multiply(cycleHi.minus(cycleLo)))
                .multiply(DAY);
        Column planned = col(T_CLOSE_PLANNED);
        Column plannedDay = floor(planned.divide(lit(DAY))).cast("int");
        Column monthEnd = unix_date(last_day(
                date_from_unix_date(plannedDay))).cast("long");
        // Deals bunch at month end: 35% close on the last day of their month, in the late afternoon.
        Column pulled = when(s.u("close.month_end").lt(lit(0.35)),
                monthEnd.multiply(DAY).plus(lit(16 * HOUR)).plus(seconds(s.u("close.hour").multiply(6 * HOUR))))
                .otherwise(planned);
        // A few deals close in the last 4 days before as_of, so LAGGING has members at any N.
        Column recent = lit(cal.asOfDay()).minus(s.below("close.recent.day", 4)).multiply(DAY)
                .plus(lit(10 * HOUR)).plus(seconds(s.u("close.hour").multiply(10 * HOUR)));
        Column tClose = when(s.u("close.recent").lt(lit(0.03)).and(col(T_CLOSE_RECENT).gt(col(T_OPP).plus(lit(HOUR)))),
                col(T_CLOSE_RECENT)).otherwise(pulled);

        s.put(T_MQL, tMql);
        s.put(T_ASSIGNED, tAssigned);
        s.put(SLA_BREACH, breach);
        s.put(T_TOUCH, tTouch);
        s.put(T_SAL, tSal);
        s.put(LATE_CONVERSION, s.u("opp.late").lt(lit(0.07)));
        s.put(T_OPP, tOpp);
        s.put(T_CLOSE_PLANNED, col(T_OPP).plus(seconds(cycle)));
        s.put(T_CLOSE_RECENT, recent);
        s.put(T_CLOSE, tClose);
        return s;
    }

    private PlanStage funnel() {
        PlanStage s = stage();
        Column seg = col(SEGMENT);
        Column outbound = col(OUTBOUND);
        Column passMql = when(outbound, s.u("pass.mql").lt(lit(0.95))).otherwise(s.u("pass.mql").lt(lit(0.62)));
        // Outbound leads that pass MQL also pass ASSIGNED: they have no MQL instant, so F != MQL.
        Column passAssigned = outbound.or(s.u("pass.asg").lt(lit(0.93)));
        Column passWorked = s.u("pass.wrk").lt(lit(0.88));
        Column passSal = s.u("pass.sal").lt(when(seg.equalTo(lit(0)), lit(0.42)).when(seg.equalTo(lit(1)), lit(0.48))
                .otherwise(lit(0.55)));
        Column passOpp = s.u("pass.opp").lt(lit(0.72));
        Column passWon = s.u("pass.won").lt(when(seg.equalTo(lit(0)), lit(0.34)).when(seg.equalTo(lit(1)), lit(0.28))
                .otherwise(lit(0.22)));
        Column fDraw = when(not(passMql), lit(CAPTURED)).when(not(passAssigned), lit(MQL))
                .when(not(passWorked), lit(ASSIGNED)).when(not(passSal), lit(WORKED)).when(not(passOpp), lit(SAL))
                .when(not(passWon), lit(OPPORTUNITY)).otherwise(lit(WON_STAGE));
        // Stages planned after the cutoff have not happened by as_of (the planned instants increase).
        Column cutoff = lit(cal.cutoff());
        Column fTime = when(col(T_MQL).geq(cutoff), lit(CAPTURED))
                .when(col(T_ASSIGNED).geq(cutoff), when(outbound, lit(CAPTURED)).otherwise(lit(MQL)))
                .when(col(T_TOUCH).geq(cutoff), lit(ASSIGNED)).when(col(T_SAL).geq(cutoff), lit(WORKED))
                .when(col(T_OPP).geq(cutoff), lit(SAL)).when(col(T_CLOSE).geq(cutoff), lit(OPPORTUNITY))
                .otherwise(lit(WON_STAGE));
        Column cap = when(kindIs(LeadKind.COHORT), lit(WON_STAGE))
                .when(kindIs(LeadKind.CREATED_AFTER_AS_OF), lit(-1))
                .otherwise(lit(SAL));
        Column undone = kindIs(LeadKind.COHORT).and(col(F0).geq(lit(OPPORTUNITY))).and(s.u("undone").lt(lit(0.01)));
        // A cohort lead planned past the cutoff: in half of them the next event is kept, dated after as_of.
        Column truncated = kindIs(LeadKind.COHORT).and(not(col(UNDONE))).and(col(F_TIME).lt(col(F_DRAW)));
        Column future = col(FUTURE);

        s.put(F_DRAW, fDraw);
        s.put(F_TIME, fTime);
        s.put(F0, least(col(F_DRAW), col(F_TIME), cap));
        s.put(UNDONE, undone);
        s.put(F1, when(col(UNDONE), lit(SAL)).otherwise(col(F0)));
        s.put(FUTURE, truncated.and(s.u("future").lt(lit(0.5))));
        s.put(FUTURE_TOUCH, future.and(is(F1, ASSIGNED)));
        s.put(FUTURE_CONVERSION, future.and(is(F1, SAL)));
        s.put(FUTURE_WON, future.and(is(F1, OPPORTUNITY)));
        return s;
    }

    private PlanStage disposition() {
        PlanStage s = stage();
        Column f1 = col(F1);
        Column settledKind = kindIs(LeadKind.COHORT).or(kindIs(LeadKind.DELETED)).or(kindIs(LeadKind.PRE_WINDOW));
        Column from = when(f1.equalTo(lit(WORKED)), col(T_TOUCH)).when(f1.equalTo(lit(ASSIGNED)), col(T_ASSIGNED))
                .otherwise(col(T_MQL));
        Column tRejected = from.plus(lit(HOUR)).plus(seconds(s.u("rej.delay").multiply(14 * DAY)));
        Column rejectable = settledKind.and(f1.equalTo(col(F_DRAW))).and(f1.between(lit(MQL), lit(WORKED)));
        Column rejected = rejectable
                .and(s.u("rej").lt(when(f1.equalTo(lit(WORKED)), lit(0.7)).otherwise(lit(0.15))))
                .and(col(T_REJECTED).lt(lit(cal.cutoff())));
        Column category = Draws.pick(s.u("rej.cat"), new double[] {55, 20, 12, 0, 8, 5},
                lit(0), lit(1), lit(2), lit(3), lit(4), lit(5));
        Column childrenKind = kindIs(LeadKind.COHORT).or(kindIs(LeadKind.PRE_WINDOW));

        s.put(T_REJECTED, tRejected);
        s.put(REJECTED, rejected);
        s.put(REJECTION_CATEGORY, when(col(REJECTED), category));
        s.put(REJECTION_REASON, when(col(REJECTED), Reasons.label(col(REJECTION_CATEGORY), s.hash("rej.label"),
                s.u("rej.sloppy"))));
        s.put(STALLED, childrenKind.and(f1.equalTo(lit(WORKED))).and(not(col(REJECTED)))
                .and(s.u("stalled").lt(lit(0.12)))
                .and(col(T_TOUCH).plus(lit(2 * DAY)).lt(lit(cal.cutoff()))));
        s.put(NURTURE, childrenKind.and(f1.between(lit(MQL), lit(ASSIGNED))).and(not(col(REJECTED)))
                .and(s.u("nurture").lt(lit(0.3)))
                .and(col(T_MQL).plus(lit(7 * DAY)).lt(lit(cal.cutoff()))));
        return s;
    }

    private PlanStage evidence() {
        PlanStage s = stage();
        Column f1 = col(F1);
        Column cutoff = lit(cal.cutoff());
        Column mqlGap = s.u("omit.mql").lt(lit(0.02));
        // An omission only matters below the furthest stage: the furthest stage always has evidence.
        s.put(OMIT_MQL, f1.gt(lit(MQL)).and(col(OUTBOUND).or(mqlGap)));
        s.put(MQL_FROM_HISTORY, f1.geq(lit(MQL)).and(not(col(OUTBOUND))).and(not(mqlGap))
                .and(s.u("mql.history").lt(lit(0.03))));
        s.put(OMIT_ASSIGNED, f1.gt(lit(ASSIGNED)).and(s.u("omit.asg").lt(lit(0.04))));
        s.put(OMIT_WORKED, f1.gt(lit(WORKED)).and(s.u("omit.wrk").lt(lit(0.02))));
        s.put(WORKED_FROM_ACTIVITY, f1.geq(lit(WORKED)).and(not(col(OMIT_WORKED))).and(s.u("wrk.activity").lt(lit(0.05))));
        s.put(OMIT_SAL, f1.gt(lit(SAL)).and(s.u("omit.sal").lt(lit(0.05))));
        s.put(OPP_FROM_LINK, f1.geq(lit(OPPORTUNITY)).and(s.u("opp.link").lt(lit(0.03))));

        s.put(O_MQL_AT, when(f1.geq(lit(MQL)).and(not(col(OMIT_MQL))).and(not(col(MQL_FROM_HISTORY))), col(T_MQL)));
        s.put(O_ASSIGNED_AT, when(f1.geq(lit(ASSIGNED)).and(not(col(OMIT_ASSIGNED))), col(T_ASSIGNED)));
        s.put(TOUCH_EVIDENCE, f1.geq(lit(WORKED)).and(not(col(OMIT_WORKED))));
        s.put(O_FIRST_TOUCH_AT, when(col(FUTURE_TOUCH), col(T_TOUCH))
                .when(col(TOUCH_EVIDENCE).and(not(col(WORKED_FROM_ACTIVITY))), col(T_TOUCH)));
        s.put(O_ACCEPTED_AT, when(f1.geq(lit(SAL)).and(not(col(OMIT_SAL))), col(T_SAL)));
        s.put(O_CONVERTED_AT, when(col(FUTURE_CONVERSION), col(T_OPP))
                .when(f1.geq(lit(OPPORTUNITY)).and(not(col(OPP_FROM_LINK))), col(T_OPP)));
        s.put(HAS_OPP, f1.geq(lit(OPPORTUNITY)).or(col(FUTURE_CONVERSION)).or(col(UNDONE)));

        Column status = when(kindIs(LeadKind.CREATED_AFTER_AS_OF), lit(Labels.STATUS_CAPTURED[0]))
                .when(col(REJECTED), Draws.oneOf(s.below("status.rej", 2), Labels.STATUS_REJECTED))
                .when(col(NURTURE), lit(Labels.STATUS_NURTURE))
                .when(f1.geq(lit(OPPORTUNITY)).or(col(FUTURE_CONVERSION)), lit(Labels.STATUS_CONVERTED[0]))
                .when(f1.equalTo(lit(SAL)), Draws.oneOf(s.below("status.sal", 2), Labels.STATUS_SAL))
                .when(f1.equalTo(lit(WORKED)).or(col(FUTURE_TOUCH)),
                        Draws.oneOf(s.below("status.wrk", 2), Labels.STATUS_WORKED))
                .when(f1.equalTo(lit(ASSIGNED)), lit(Labels.STATUS_ASSIGNED[0]))
                .when(f1.equalTo(lit(MQL)), Draws.oneOf(s.below("status.mql", 2), Labels.STATUS_MQL))
                .otherwise(Draws.oneOf(s.below("status.new", 2), Labels.STATUS_CAPTURED));
        s.put(STATUS_CLEAN, status);
        // The unmapped label is written exactly, so its count is a plain equality.
        s.put(LEAD_STATUS, when(col(STALLED), lit(Labels.UNMAPPED_STATUS))
                .otherwise(Labels.sloppy(col(STATUS_CLEAN), s.u("status.sloppy"), 0.02)));
        s.put(LEAD_OWNER, when(f1.geq(lit(ASSIGNED)).or(col(FUTURE_TOUCH)),
                Draws.pick(s.u("owner"), new double[] {95, 3, 2}, col(WORKER_SDR),
                        lit(SampleDirectory.QUEUE_INBOUND), lit(null).cast("string")))
                .otherwise(Draws.pick(s.u("owner"), new double[] {70, 30},
                        lit(SampleDirectory.QUEUE_MARKETING), lit(null).cast("string"))));
        Column tOverride = col(T_CREATED).plus(lit(HOUR)).plus(seconds(s.u("source.override.t").multiply(10 * DAY)));
        s.put(T_SOURCE_OVERRIDE, tOverride);
        s.put(SOURCE_OVERRIDE, col(HAS_CHILDREN).and(col(CHANNEL).lt(lit(5)))
                .and(not(col(MISSING_PREFIX + "lead_source"))).and(s.u("source.override").lt(ChannelRates.SOURCE_OVERRIDE.of()))
                .and(col(T_SOURCE_OVERRIDE).lt(cutoff)));
        s.put(LEAD_SOURCE, when(col(SOURCE_OVERRIDE), lit("Outbound")).otherwise(col(LEAD_SOURCE_CAPTURED)));
        return s;
    }

    /**
     * Ends a whole-stage-codegen stage after each plan stage. Left alone, Spark fuses the whole
     * plan into one generated method of ~50 KB of bytecode, which the JVM never JIT-compiles
     * (too big), so every row runs interpreted. A coalesce to the same partition count is not
     * code-generated, keeps partition i as partition i with its row order, and costs one row copy.
     */
    static Dataset<Row> codegenBoundary(Dataset<Row> df, int partitions) {
        return df.coalesce(partitions);
    }

    /** Whole seconds from a fractional duration. */
    static Column seconds(Column duration) {
        return floor(duration).cast("long");
    }

    private static Map<String, Double> gapRates() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("company", 0.01);
        m.put("segment", 0.015);
        m.put("company_size", 0.015);
        m.put("country", 0.01);
        m.put("use_case", 0.03);
        m.put("contact_role", 0.02);
        m.put("consent_status", 0.02);
        m.put("lead_source", 0.01);
        m.put("campaign_id", 0.02);
        return unmodifiableMap(m);
    }
}
