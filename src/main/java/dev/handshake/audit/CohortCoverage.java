package dev.handshake.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import dev.handshake.model.AuditWindow;
import dev.handshake.model.Stage;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Whether the inputs reach the night being audited. An empty lead cohort, or a newest lead event
 * well before {@code as_of}, means every figure of the night is empty or stale: a wrong
 * {@code --as-of}, or an export that stopped. The run still completes (an empty night is a
 * result), but says so, and {@code --strict} makes it an error.
 */
public final class CohortCoverage {
    /** The {@link SkippedFigure#figure()} under which a coverage warning is recorded. */
    public static final String FIGURE = "inputs reach as_of";
    /**
     * Days the newest lead event may lie before {@code as_of} without a warning: a weekend or a
     * holiday without a single lead event is ordinary, a week is not.
     */
    static final int SLACK_DAYS = 3;
    private static final String PREFIX = "__coverage_";

    private CohortCoverage() {}

    /** Counts the cohort and finds its newest stage evidence in one aggregation over the journey. */
    public static List<String> warnings(Dataset<Row> journey, AuditWindow window) {
        Column[] evidence = Stage.inOrder().stream().map(s -> col(LeadJourney.evidence(s))).toArray(Column[]::new);
        Row r = journey.agg(count(lit(1)).as(PREFIX + "leads"), max(greatest(evidence)).as(PREFIX + "newest")).first();
        Timestamp newest = r.getTimestamp(1);
        return warnings(r.getLong(0), Optional.ofNullable(newest)
                .map(t -> t.toInstant().atZone(ZoneOffset.UTC).toLocalDate()), window);
    }

    static List<String> warnings(long leads, Optional<LocalDate> newest, AuditWindow window) {
        List<String> out = new ArrayList<>();
        if (leads == 0) {
            out.add("no lead was created in the " + window.lookbackDays() + " days up to as_of " + window.asOf()
                    + ", so the lead cohort is empty and every lead figure of this night is empty. Check --as-of"
                    + " against the dates in your inputs");
        } else if (newest.isPresent()) {
            long days = ChronoUnit.DAYS.between(newest.get(), window.asOf());
            if (days > SLACK_DAYS) {
                out.add(String.format(Locale.ROOT, "the newest lead event in the inputs is on %s, %d days before"
                        + " as_of %s, so the inputs may end before this night. Check --as-of, or whether the"
                        + " export is current", newest.get(), days, window.asOf()));
            }
        }
        return out;
    }
}
