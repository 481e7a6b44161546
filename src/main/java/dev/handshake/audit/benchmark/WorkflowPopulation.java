package dev.handshake.audit.benchmark;

import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.NamesWhere;
import dev.handshake.audit.OpportunityScope;
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
 * Which configured workflows each record belongs to (section 4; docs/definitions.md section 6,
 * Workflows). On the lead basis, adds to the journey {@code first_touch_type} (type of the lead's
 * earliest campaign touch by as_of; ties by touch_id) and {@code workflows} (array of workflow
 * names, possibly empty); on the opportunity basis, sets the scope's
 * {@link OpportunityScope#WORKFLOWS} from the opportunity's own fields. A workflow with a key its
 * basis cannot read has no records, and says so as a skipped figure: never a silent empty.
 */
public final class WorkflowPopulation {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__population_";
    public static final String WORKFLOWS = LeadJourney.WORKFLOWS;
    public static final String FIRST_TOUCH_TYPE = LeadJourney.FIRST_TOUCH_TYPE;

    private WorkflowPopulation() {}

    /** The tagged journey and what could not be evaluated. */
    public record Tagged(LeadJourney journey, List<SkippedFigure> skipped) {}

    /** The scope with each opportunity's own workflows, and what could not be evaluated. */
    public record TaggedScope(Dataset<Row> scope, List<SkippedFigure> skipped) {}

    /** The lead basis: each cohort lead's workflows. */
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
        skipped.addAll(notEvaluable(workflows, WorkflowBasis.LEADS));
        List<Column> members = new ArrayList<>();
        for (Workflow w : workflows) {
            members.add(touches.isEmpty() && w.usesTouchTypes() ? lit(false) : membership(w, WorkflowBasis.LEADS));
        }
        Column tags = NamesWhere.of(members, names(workflows));
        return new Tagged(new LeadJourney(leads.withColumn(WORKFLOWS, tags), journey.skipped()), skipped);
    }

    /**
     * The opportunity basis: {@code scope} (the rows of {@link OpportunityScope#build}) with
     * {@link OpportunityScope#WORKFLOWS} decided by each opportunity's own lead source, segment,
     * owner and type instead of its lead's workflows.
     */
    public static TaggedScope tagOpportunities(Dataset<Row> scope, List<Workflow> workflows) {
        List<Column> members = workflows.stream().map(w -> membership(w, WorkflowBasis.OPPORTUNITIES)).toList();
        return new TaggedScope(scope.withColumn(OpportunityScope.WORKFLOWS, NamesWhere.of(members, names(workflows))),
                notEvaluable(workflows, WorkflowBasis.OPPORTUNITIES));
    }

    private static List<String> names(List<Workflow> workflows) {
        return workflows.stream().map(Workflow::name).toList();
    }

    /**
     * The column a filter key reads on the basis's rows, normalized as configured values are;
     * empty when that record has no such field (a lead has no opportunity type; an opportunity
     * has no campaign channel or touch of its own, only its lead has).
     */
    private static Optional<Column> column(Workflow.Key key, WorkflowBasis basis) {
        String name = switch (basis) {
            case LEADS -> switch (key) {
                case CHANNELS -> LeadJourney.CHANNEL;
                case LEAD_SOURCES -> "lead_source";
                case TOUCH_TYPES -> FIRST_TOUCH_TYPE;
                case SEGMENTS -> "segment";
                case OWNERS -> "owner_id";
                case OPPORTUNITY_TYPES -> null;
            };
            case OPPORTUNITIES -> switch (key) {
                case LEAD_SOURCES -> OpportunityScope.PREFIX + "lead_source";
                case SEGMENTS -> OpportunityScope.PREFIX + "segment";
                case OWNERS -> OpportunityScope.PREFIX + "owner_id";
                case OPPORTUNITY_TYPES -> OpportunityScope.PREFIX + "opportunity_type";
                case CHANNELS, TOUCH_TYPES -> null;
            };
        };
        return Optional.ofNullable(name).map(n -> LabelMapping.normalize(col(n)));
    }

    /** Whether a record is in {@code w}; never, when the basis cannot read one of its keys. */
    private static Column membership(Workflow w, WorkflowBasis basis) {
        if (!unreadable(w, basis).isEmpty()) {
            return lit(false);
        }
        return matches(w.include(), true, basis).and(not(matches(w.exclude(), false, basis)));
    }

    /** Include: every non-empty list matches. Exclude ({@code all} false): any non-empty list matches. */
    private static Column matches(Workflow.Population p, boolean all, WorkflowBasis basis) {
        List<Column> parts = new ArrayList<>();
        for (Workflow.Key k : Workflow.Key.values()) {
            List<String> values = p.values(k);
            if (!values.isEmpty()) {
                parts.add(column(k, basis).orElseThrow().isin(values.toArray()));
            }
        }
        if (parts.isEmpty()) {
            return lit(all);
        }
        Column result = parts.get(0);
        for (Column c : parts.subList(1, parts.size())) {
            result = all ? result.and(c) : result.or(c);
        }
        // A record without the attribute matches no listed value: never in an include, never excluded.
        return coalesce(result, lit(false));
    }

    private record Side(String name, Workflow.Population population) {}

    private static List<Side> sides(Workflow w) {
        return List.of(new Side("include", w.include()), new Side("exclude", w.exclude()));
    }

    /** The keys of {@code w} the basis cannot read, as "include.channels". */
    private static List<String> unreadable(Workflow w, WorkflowBasis basis) {
        List<String> out = new ArrayList<>();
        for (Side side : sides(w)) {
            for (Workflow.Key k : Workflow.Key.values()) {
                if (!side.population().values(k).isEmpty() && column(k, basis).isEmpty()) {
                    out.add(side.name() + "." + k.key());
                }
            }
        }
        return out;
    }

    /**
     * One skipped figure per workflow the basis cannot evaluate, naming the workflow and its keys.
     * An exclude the basis cannot read makes the workflow unknowable too: which records it would
     * drop cannot be told.
     */
    static List<SkippedFigure> notEvaluable(List<Workflow> workflows, WorkflowBasis basis) {
        List<String> readable = new ArrayList<>();
        for (Workflow.Key k : Workflow.Key.values()) {
            column(k, basis).ifPresent(c -> readable.add(k.key()));
        }
        String on = basis == WorkflowBasis.LEADS
                ? "a lead (the night has cohort leads, so workflows are populations of leads)"
                : "an opportunity (the night has no cohort lead, so workflows are populations of the opportunities"
                        + " in scope)";
        String fix = String.join(", ", readable) + (basis == WorkflowBasis.LEADS ? "" : ", or provide the leads");
        List<SkippedFigure> out = new ArrayList<>();
        for (Workflow w : workflows) {
            List<String> keys = unreadable(w, basis);
            if (!keys.isEmpty()) {
                out.add(new SkippedFigure("workflow " + w.name(), "its " + String.join(", ", keys)
                        + " filter cannot be evaluated on " + on + ", so the workflow has no records. Fix: filter it on "
                        + fix));
            }
        }
        return out;
    }

    /**
     * One row, one boolean column per configured filter value the basis can read: whether any of
     * {@code rows} (the tagged journey's leads, or the scope on the opportunity basis) carries it.
     * Read with {@link #unmatched(Row, List, WorkflowBasis)}.
     */
    public static Dataset<Row> valueProbe(Dataset<Row> rows, List<Workflow> workflows, WorkflowBasis basis) {
        List<Column> probes = new ArrayList<>();
        for (FilterValue v : filterValues(workflows, basis)) {
            probes.add(max(v.column().equalTo(lit(v.value()))).as(PREFIX + "p" + probes.size()));
        }
        if (probes.isEmpty()) {
            return rows.sparkSession().emptyDataFrame();
        }
        return rows.agg(probes.get(0), probes.subList(1, probes.size()).toArray(Column[]::new));
    }

    /**
     * Configured filter values no record carries, as "workflow w: include.channels value 'x'
     * matches no lead in the cohort" (or "no opportunity in scope").
     */
    public static List<String> unmatched(Row probe, List<Workflow> workflows, WorkflowBasis basis) {
        List<String> out = new ArrayList<>();
        List<FilterValue> values = filterValues(workflows, basis);
        for (int i = 0; i < values.size(); i++) {
            if (probe == null || probe.isNullAt(i) || !probe.getBoolean(i)) {
                FilterValue v = values.get(i);
                out.add("workflow " + v.workflow() + ": " + v.side() + "." + v.key().key() + " value '"
                        + v.value() + "' matches no " + basis.one());
            }
        }
        return out;
    }

    private record FilterValue(String workflow, String side, Workflow.Key key, Column column, String value) {}

    /** The values of the workflows the basis can evaluate (the others are reported as not evaluable). */
    private static List<FilterValue> filterValues(List<Workflow> workflows, WorkflowBasis basis) {
        List<FilterValue> out = new ArrayList<>();
        for (Workflow w : workflows) {
            if (!unreadable(w, basis).isEmpty()) {
                continue;
            }
            for (Side side : sides(w)) {
                for (Workflow.Key k : Workflow.Key.values()) {
                    for (String v : side.population().values(k)) {
                        out.add(new FilterValue(w.name(), side.name(), k, column(k, basis).orElseThrow(), v));
                    }
                }
            }
        }
        return out;
    }
}
