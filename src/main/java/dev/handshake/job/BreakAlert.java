package dev.handshake.job;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code --fail-on-new-breaks AMOUNT}: alert when tonight's new breaks (status NEW or REOPENED in
 * the break ledger, not acknowledged) are about more than AMOUNT in reporting currency. Breaks
 * whose amount could not be converted are counted apart and never read as zero.
 */
public final class BreakAlert {
    private BreakAlert() {}

    /**
     * Tonight's unacknowledged new breaks: how many, the sum of their absolute amounts, and how
     * many of them have no amount in reporting currency (left out of the sum).
     */
    public record NewBreaks(long rows, BigDecimal amount, long withoutAmount) {
        public static final NewBreaks NONE = new NewBreaks(0, BigDecimal.ZERO, 0);

        public NewBreaks {
            requireNonNull(amount, "amount is null");
        }
    }

    /** One line when the new breaks exceed the threshold; empty otherwise. */
    public static List<String> alerts(NewBreaks tonight, BigDecimal threshold, String currency) {
        requireNonNull(tonight, "tonight is null");
        requireNonNull(threshold, "threshold is null");
        if (tonight.amount().compareTo(threshold) <= 0) {
            return List.of();
        }
        return List.of("new breaks: " + tonight.rows() + " not acknowledged, about "
                + dev.handshake.audit.benchmark.FirstFork.money(tonight.amount(), currency) + ", above "
                + dev.handshake.audit.benchmark.FirstFork.money(threshold, currency)
                + (tonight.withoutAmount() == 0 ? "" : " (" + tonight.withoutAmount()
                        + " of them without an amount in " + currency + ", not in the sum)"));
    }
}
