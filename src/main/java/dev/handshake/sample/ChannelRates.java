package dev.handshake.sample;

import static dev.handshake.sample.Plan.CHANNEL;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * Planted failure rates that differ by the lead's channel, so the shipped workflows
 * (paid_demo_requests, partner_sourced, all_inbound) fail in different layers: paid leads are
 * tracked end to end and fail mostly at the qualification handoff; partner deals are re-owned
 * between partner managers and AEs without a logged reason and booked net of the partner's margin
 * (CRM_STAGE_OWNERSHIP first, finance after); syndicated content and event leads lose their
 * campaign on conversion (CAPTURE first, company-wide). The plan draws each failure against
 * {@link Rate#of()}, and the manifest states every rate and counts each failure per channel
 * from the same flags, so the statement and the data cannot disagree.
 */
final class ChannelRates {
    /** Channel names by plan channel code: the campaign channels, then outbound (code 5). */
    static final List<String> CHANNEL_NAMES = List.of(SampleDirectory.CHANNELS[0], SampleDirectory.CHANNELS[1],
            SampleDirectory.CHANNELS[2], SampleDirectory.CHANNELS[3], SampleDirectory.CHANNELS[4], "outbound");

    private ChannelRates() {}

    /**
     * One planted rate per channel code (paid_search, paid_social, events, partner, content,
     * outbound). {@code applies} says on which records the rate is drawn.
     */
    record Rate(String name, String applies, double... perChannel) {
        Rate {
            if (perChannel.length != CHANNEL_NAMES.size()) {
                throw new IllegalArgumentException("Invalid rate " + name + ": " + perChannel.length + " channels");
            }
        }

        /** The rate of the row's channel, as a Column over the plan's channel code. */
        Column of() {
            Column chan = col(CHANNEL);
            Column result = lit(perChannel[perChannel.length - 1]);
            for (int c = perChannel.length - 2; c >= 0; c--) {
                result = when(chan.equalTo(lit(c)), lit(perChannel[c])).otherwise(result);
            }
            return result;
        }

        /** "paid_search 1%, paid_social 1%, ..." for the manifest's definitions. */
        String describe() {
            StringBuilder b = new StringBuilder(applies).append(": ");
            for (int c = 0; c < perChannel.length; c++) {
                b.append(c == 0 ? "" : ", ").append(CHANNEL_NAMES.get(c)).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f%%", perChannel[c] * 100));
            }
            return b.toString();
        }
    }

    // Capture: campaign evidence lost on conversion, and lead_source overwritten by hand.
    static final Rate LINKAGE_LOST = new Rate("linkage_lost",
            "opportunities of leads with a campaign that lose campaign_id and lead_source on conversion",
            0.01, 0.01, 0.15, 0.0, 0.30, 0.0);
    static final Rate SOURCE_OVERRIDE = new Rate("source_override",
            "inbound leads whose lead_source is overwritten to 'Outbound' by hand (a field_history row)",
            0.005, 0.005, 0.02, 0.0, 0.03, 0.0);

    // CRM stages and ownership.
    static final Rate OWNER_NOT_AE = new Rate("owner_not_ae",
            "opportunities owned by the converting SDR instead of an AE",
            0.01, 0.01, 0.04, 0.04, 0.04, 0.04);
    static final Rate REOWNED = new Rate("reowned",
            "settled opportunities re-owned from one AE to another 1-21 days after creation",
            0.01, 0.01, 0.05, 0.20, 0.05, 0.05);
    static final Rate BACKWARD = new Rate("backward",
            "settled opportunities at stage 2+ moved back two stages and forward again",
            0.005, 0.005, 0.04, 0.04, 0.04, 0.04);
    static final Rate REOPENED = new Rate("reopened",
            "closed opportunities reopened and closed again", 0.005, 0.005, 0.03, 0.03, 0.03, 0.03);
    static final Rate VERBAL_WON = new Rate("verbal_won",
            "won opportunities with an unmapped 'Verbal Commit' stage before Closed Won",
            0.005, 0.005, 0.05, 0.05, 0.05, 0.05);
    static final Rate AMOUNT_OVERRIDE = new Rate("amount_override",
            "settled opportunities whose amount is changed by hand", 0.01, 0.01, 0.03, 0.03, 0.03, 0.03);
    static final Rate CLOSE_OVERRIDE = new Rate("close_override",
            "settled opportunities whose close_date is changed by hand", 0.01, 0.01, 0.03, 0.03, 0.03, 0.03);

    // Whether a manual field_history change logs a change_reason.
    static final Rate REASON_SOURCE = new Rate("reason.source",
            "lead_source overrides with a change_reason", 0.9, 0.9, 0.5, 0.5, 0.5, 0.5);
    static final Rate REASON_REOWNED = new Rate("reason.reowned",
            "owner changes with a change_reason", 0.9, 0.9, 0.4, 0.15, 0.4, 0.4);
    static final Rate REASON_AMOUNT = new Rate("reason.amount",
            "amount changes with a change_reason", 0.9, 0.9, 0.6, 0.4, 0.6, 0.6);
    static final Rate REASON_CLOSE = new Rate("reason.close",
            "close_date changes with a change_reason", 0.9, 0.9, 0.5, 0.4, 0.5, 0.5);
    static final Rate REASON_STAGE = new Rate("reason.stage",
            "backward moves and reopenings with a change_reason", 0.9, 0.9, 0.3, 0.3, 0.3, 0.3);
    static final Rate REASON_LINKAGE = new Rate("reason.linkage",
            "logged campaign_id removals with a change_reason", 0.9, 0.9, 0.3, 0.3, 0.3, 0.3);

    // Finance.
    static final Rate AMOUNT_MISMATCH = new Rate("amount_mismatch",
            "won opportunities (not recent, not BRL) booked at 80-95% or 105-120% of the amount",
            0.04, 0.04, 0.04, 0.15, 0.04, 0.04);

    static final List<Rate> ALL = List.of(LINKAGE_LOST, SOURCE_OVERRIDE, OWNER_NOT_AE, REOWNED, BACKWARD, REOPENED,
            VERBAL_WON, AMOUNT_OVERRIDE, CLOSE_OVERRIDE, REASON_SOURCE, REASON_REOWNED, REASON_AMOUNT, REASON_CLOSE,
            REASON_STAGE, REASON_LINKAGE, AMOUNT_MISMATCH);
}
