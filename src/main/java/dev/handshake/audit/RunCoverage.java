package dev.handshake.audit;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.model.Stage;
import dev.handshake.source.TableCount;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the night's inputs cover, stated before any figure (docs/coverage.md): each input table
 * present, absent or empty with its rows, the funnel stages with direct evidence in the lead cohort,
 * and how many won deals carry an amount, a currency, an amount with a usable FX rate and a linked lead.
 * This class builds its two aggregations and reads them back.
 */
public record RunCoverage(List<TableState> tables, long cohortLeads, Map<Stage, Long> stageEvidence, Won won) {
    public static final String PRESENT = "present";
    public static final String ABSENT = "absent";
    public static final String EMPTY = "empty";
    private static final String PREFIX = "__runcov_";

    public RunCoverage {
        tables = List.copyOf(tables);
        stageEvidence = java.util.Collections.unmodifiableMap(new EnumMap<>(requireNonNull(stageEvidence,
                "stageEvidence is null")));
        requireNonNull(won, "won is null");
    }

    /** An input table: {@link #PRESENT}, {@link #ABSENT} or {@link #EMPTY} (present, no accepted row). */
    public record TableState(String table, String state, long rows) {}

    /** Won deals in scope and how many carry each fact. */
    public record Won(long deals, long withAmount, long withCurrency, long withFxRate, long withLead) {}

    /**
     * @param counts  the run's input row accounting
     * @param journey cohort leads with {@code evidence_<stage>} (with finance arrival)
     * @param scope   the run's opportunities ({@link OpportunityScope})
     */
    public static RunCoverage of(List<TableCount> counts, Dataset<Row> journey, Dataset<Row> scope) {
        List<TableState> tables = new ArrayList<>();
        for (TableCount c : counts) {
            tables.add(new TableState(c.table(), !c.present() ? ABSENT : c.rowsAccepted() == 0 ? EMPTY : PRESENT,
                    c.rowsAccepted()));
        }
        List<Column> stageCounts = new ArrayList<>();
        stageCounts.add(count(lit(1)).as(PREFIX + "leads"));
        for (Stage s : Stage.inOrder()) {
            stageCounts.add(count_if(col(LeadJourney.evidence(s)).isNotNull()).as(PREFIX + s.name()));
        }
        Row j = journey.agg(stageCounts.get(0), stageCounts.subList(1, stageCounts.size()).toArray(Column[]::new))
                .first();
        Map<Stage, Long> evidence = new EnumMap<>(Stage.class);
        for (Stage s : Stage.inOrder()) {
            evidence.put(s, j.getLong(s.ordinal() + 1));
        }
        Row w = scope.filter(col(OpportunityScope.WON_ON).isNotNull()).agg(
                count(lit(1)).as(PREFIX + "won"),
                count_if(col(OpportunityScope.PREFIX + "amount").isNotNull()).as(PREFIX + "amount"),
                count_if(col(OpportunityScope.PREFIX + "currency_code").isNotNull()).as(PREFIX + "currency"),
                count_if(col(OpportunityScope.AMOUNT_REPORTING).isNotNull()).as(PREFIX + "fx"),
                count_if(col(OpportunityScope.LEAD_ID).isNotNull()).as(PREFIX + "lead")).first();
        return new RunCoverage(tables, j.getLong(0), evidence,
                new Won(w.getLong(0), w.getLong(1), w.getLong(2), w.getLong(3), w.getLong(4)));
    }

    /** Tables in a state, in input order. */
    public List<String> tablesIn(String state) {
        return tables.stream().filter(t -> t.state().equals(state)).map(TableState::table).toList();
    }

    /** Stages no cohort lead has direct evidence of (null evidence everywhere). */
    public List<Stage> stagesWithoutEvidence() {
        return stageEvidence.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
    }

    /** A share of the won deals in percent with one decimal, or null when there is no won deal. */
    public static Double pct(long part, long whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 10.0;
    }

    /** The summary as short lines, for the log and the top of the review sheet. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (TableState s : tables) {
            t.add(s.table() + " " + (s.state().equals(ABSENT) ? ABSENT : s.state().equals(EMPTY) ? EMPTY
                    : String.format(Locale.ROOT, "%,d rows", s.rows())));
        }
        out.add("tables: " + String.join(", ", t));
        List<String> stages = new ArrayList<>();
        stageEvidence.forEach((s, n) -> stages.add(s.name() + " " + String.format(Locale.ROOT, "%,d", n)));
        out.add(String.format(Locale.ROOT, "cohort leads with direct evidence per stage, of %,d: ", cohortLeads)
                + String.join(", ", stages) + (stagesWithoutEvidence().isEmpty() ? ""
                : "; no evidence at all (untracked): " + String.join(", ",
                        stagesWithoutEvidence().stream().map(Stage::name).toList())));
        out.add(won.deals() == 0 ? "won deals: none in scope" : String.format(Locale.ROOT,
                "won deals %,d: with an amount %s, a currency %s, an amount with a usable FX rate %s, a linked lead %s",
                won.deals(), share(won.withAmount()), share(won.withCurrency()), share(won.withFxRate()),
                share(won.withLead())));
        return out;
    }

    private String share(long part) {
        return String.format(Locale.ROOT, "%,d (%.1f %%)", part, pct(part, won.deals()));
    }
}
