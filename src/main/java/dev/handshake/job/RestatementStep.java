package dev.handshake.job;

import dev.handshake.Steps;
import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.restatement.RestatementTables;
import dev.handshake.audit.restatement.Restatements;
import dev.handshake.config.ReconciliationSettings;
import dev.handshake.sink.AuditSink;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restatements' part of a night: reads the previous successful night's close state through the
 * sink, runs {@link Restatements} on tonight's contributions of the reconciliation and stages the
 * table with the night's others (so it is replaced in the same unit).
 */
final class RestatementStep {
    private static final Logger LOG = LoggerFactory.getLogger(RestatementStep.class);

    private RestatementStep() {}

    static void run(AuditSink store, Steps steps, AuditWindow window, BookingMatch match, Dataset<Row> reconciliation,
                    ReconciliationSettings settings, List<SkippedFigure> skipped) {
        if (settings.periodCloseDays().isEmpty()) {
            skipped.add(new SkippedFigure(RestatementTables.NAME, "no close calendar configured: set "
                    + "reconciliation.period_close_days to follow closed periods"));
            return;
        }
        LocalDate asOf = window.asOf();
        Optional<Restatements.Previous> previous = store.previousSucceeded(RestatementTables.NAME).map(r -> {
            LocalDate previousAsOf = r.getDate(r.fieldIndex("as_of")).toLocalDate();
            return new Restatements.Previous(previousAsOf, store.read(RestatementTables.NAME, previousAsOf));
        });
        if (previous.isEmpty()) {
            LOG.info("{}: no earlier night with the table, so tonight is the close state of every closed period",
                    RestatementTables.NAME);
        }
        Dataset<Row> rows = Restatements.run(new Restatements.Inputs(asOf,
                ReconciliationAudit.contributions(match, reconciliation), previous,
                settings.periodCloseDays().getAsInt(), window.startDate()));
        steps.step("audit restatements", () -> store.stage(RestatementTables.NAME, rows, false,
                RestatementTables.PERIOD, RestatementTables.SIDE, RestatementTables.RECORD_ID), n -> n);
    }
}
