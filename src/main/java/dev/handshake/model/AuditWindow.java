package dev.handshake.model;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;

/**
 * The run's view of time (section 0): the world as it was at the end of {@code asOf}, and the
 * lookback window the cohort is drawn from. Audits take it as input; none reads the clock.
 */
public record AuditWindow(LocalDate asOf, int lookbackDays) {
    public AuditWindow {
        requireNonNull(asOf, "asOf is null");
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("Invalid lookbackDays: " + lookbackDays);
        }
    }

    /** {@code as_of + 1 day, 00:00 UTC}: instants at or after it have not happened yet. */
    public Instant endExclusive() {
        return asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** {@code as_of - lookback days, 00:00 UTC}: the first instant of the cohort window. */
    public Instant start() {
        return asOf.minusDays(lookbackDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public LocalDate startDate() {
        return asOf.minusDays(lookbackDays);
    }

    /** The instant if it had happened by the end of as_of, else null. */
    public Column happened(Column instant) {
        return org.apache.spark.sql.functions.when(instant.lt(lit(endExclusive())), instant);
    }

    /** The date if it is on or before as_of, else null. */
    public Column happenedOn(Column date) {
        return org.apache.spark.sql.functions.when(date.leq(lit(asOf)), date);
    }

    public Column inWindow(Column instant) {
        return instant.geq(lit(start())).and(instant.lt(lit(endExclusive())));
    }
}
