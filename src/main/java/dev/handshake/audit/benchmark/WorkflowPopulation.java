package dev.handshake.audit.benchmark;

import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.NamesWhere;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.config.LabelMapping;
import dev.handshake.config.Workflow;
import dev.handshake.source.AuditInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which configured workflows each cohort lead belongs to (section 4). Adds to the journey
 * {@code first_touch_type} (type of the lead's earliest campaign touch by as_of; ties by touch_id)
 * and {@code workflows} (array of workflow names, possibly empty).
 */
public final class WorkflowPopulation {
    public static final String WORKFLOWS = LeadJourney.WORKFLOWS;
    public static final String FIRST_TOUCH_TYPE = LeadJourney.FIRST_TOUCH_TYPE;

    private WorkflowPopulation() {}

    /** The tagged journey and what could not be evaluated. */
    public record Tagged(LeadJourney journey, List<SkippedFigure> skipped) {}

    public static Tagged tag(LeadJourney journey, AuditInputs in, List<Workflow> workflows, AuditWindow window) {
        List<SkippedFigure> skipped = new ArrayList<>();
        Dataset<Row> leads = journey.leads();
        Optional<Dataset<Row>> touches = in.optional(CAMPAIGN_TOUCHES);
        boolean needTouches = workflows.stream().anyMatch(Workflow::usesTouchTypes);
        boolean carried = Arrays.asList(leads.columns()).contains(LeadJourney.FIRST_TOUCH_TYPE);
        if (carried) {
            // The journey was built with it, among its other per-lead facts.
        } else if (touches.isPresent() && needTouches) {
            leads = leads.join(LeadJourney.firstTouchType(touches.get(), window), col("lead_id").equalTo(col("t_lead")),
                    "left").withColumnRenamed("t_type", FIRST_TOUCH_TYPE).drop("t_lead");
        } else {
            leads = leads.withColumn(FIRST_TOUCH_TYPE, lit(null).cast("string"));
            if (needTouches) {
                for (Workflow w : workflows) {
                    if (w.usesTouchTypes()) {
                        skipped.add(new SkippedFigure("workflow " + w.name(), "campaign_touches table absent: "
                                + "its touch_types filter cannot be evaluated, so the workflow has no records"));
                    }
                }
            }
        }
        List<Column> members = new ArrayList<>();
        for (Workflow w : workflows) {
            members.add(touches.isEmpty() && w.usesTouchTypes() ? lit(false)
                    : matches(w.include(), true).and(org.apache.spark.sql.functions.not(matches(w.exclude(), false))));
        }
        Column tags = NamesWhere.of(members, workflows.stream().map(Workflow::name).toList());
        return new Tagged(new LeadJourney(leads.withColumn(WORKFLOWS, tags), journey.skipped()), skipped);
    }

    /** Include: every non-empty list matches. Exclude ({@code all} false): any non-empty list matches. */
    private static Column matches(Workflow.Population p, boolean all) {
        List<Column> parts = new ArrayList<>();
        for (Filter f : filters(p)) {
            parts.add(f.value().isin(f.values().toArray()));
        }
        if (parts.isEmpty()) {
            return lit(all);
        }
        Column result = parts.get(0);
        for (Column c : parts.subList(1, parts.size())) {
            result = all ? result.and(c) : result.or(c);
        }
        // A lead without the attribute matches no listed value: never in an include, never excluded.
        return org.apache.spark.sql.functions.coalesce(result, lit(false));
    }

    private record Filter(String key, Column value, List<String> values) {}

    private static List<Filter> filters(Workflow.Population p) {
        List<Filter> out = new ArrayList<>();
        add(out, "channels", col(LeadJourney.CHANNEL), p.channels());
        add(out, "lead_sources", col("lead_source"), p.leadSources());
        add(out, "touch_types", col(FIRST_TOUCH_TYPE), p.touchTypes());
        add(out, "segments", col("segment"), p.segments());
        return out;
    }

    private static void add(List<Filter> out, String key, Column raw, List<String> values) {
        if (!values.isEmpty()) {
            out.add(new Filter(key, LabelMapping.normalize(raw), values));
        }
    }

    /**
     * One row, one boolean column per configured filter value: whether any cohort lead carries
     * it. Read with {@link #unmatched(Row, List)}.
     */
    public static Dataset<Row> valueProbe(Dataset<Row> taggedLeads, List<Workflow> workflows) {
        List<Column> probes = new ArrayList<>();
        for (FilterValue v : filterValues(workflows)) {
            probes.add(max(v.filter().value().equalTo(lit(v.value()))).as("__p" + probes.size()));
        }
        if (probes.isEmpty()) {
            return taggedLeads.sparkSession().emptyDataFrame();
        }
        return taggedLeads.agg(probes.get(0), probes.subList(1, probes.size()).toArray(Column[]::new));
    }

    /** Configured filter values no cohort lead carries, as "workflows[name].include.channels: 'x'". */
    public static List<String> unmatched(Row probe, List<Workflow> workflows) {
        List<String> out = new ArrayList<>();
        List<FilterValue> values = filterValues(workflows);
        for (int i = 0; i < values.size(); i++) {
            if (probe == null || probe.isNullAt(i) || !probe.getBoolean(i)) {
                FilterValue v = values.get(i);
                out.add("workflow " + v.workflow() + ": " + v.side() + "." + v.filter().key() + " value '"
                        + v.value() + "' matches no lead in the cohort");
            }
        }
        return out;
    }

    private record FilterValue(String workflow, String side, Filter filter, String value) {}

    private static List<FilterValue> filterValues(List<Workflow> workflows) {
        List<FilterValue> out = new ArrayList<>();
        for (Workflow w : workflows) {
            for (Filter f : filters(w.include())) {
                f.values().forEach(v -> out.add(new FilterValue(w.name(), "include", f, v)));
            }
            for (Filter f : filters(w.exclude())) {
                f.values().forEach(v -> out.add(new FilterValue(w.name(), "exclude", f, v)));
            }
        }
        return out;
    }
}
