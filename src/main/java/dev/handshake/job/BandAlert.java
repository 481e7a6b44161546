package dev.handshake.job;

import static java.util.Objects.requireNonNull;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.model.Dimension;
import dev.handshake.audit.benchmark.Scorecard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code --fail-on-band}: which workflows are in a band at or worse than the threshold, so a
 * scheduler can alert. A band that is not certain (dimensions without data) alerts only when even
 * its best possible band reaches the threshold: an alert is a finding, never a guess.
 */
public final class BandAlert {
    private BandAlert() {}

    /** Benchmark bands from best to worst (the spec's section 4 bands). */
    public enum Band { CLEAN, DISTORTING, BREAKING }

    /** One line per alerting workflow; empty when none alerts. */
    public static List<String> alerts(List<BenchmarkAudit.WorkflowReport> reports, Band threshold) {
        requireNonNull(threshold, "threshold is null");
        List<String> alerts = new ArrayList<>();
        for (BenchmarkAudit.WorkflowReport r : reports) {
            Scorecard.Total total = r.total();
            long missing = Dimension.values().length
                    - r.scores().values().stream().map(Scorecard.DimensionScore::score).filter(Objects::nonNull).count();
            // Missing dimensions score at least 1 each: the best the workflow can be.
            Band best = Band.valueOf(Scorecard.band(total.total() + (int) missing));
            if (best.compareTo(threshold) >= 0) {
                alerts.add("workflow " + r.workflow().name() + ": band " + (total.band() != null ? total.band()
                        : "at least " + best + " (" + missing + " dimension(s) without data)")
                        + ", total " + total.total());
            }
        }
        return alerts;
    }
}
