package dev.handshake.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreakAlertTest {
    @Test
    void alertsOnlyAboveTheThresholdAndSaysWhatHasNoAmount() {
        BreakAlert.NewBreaks tonight = new BreakAlert.NewBreaks(3, new BigDecimal("1200.50"), 1);
        assertEquals(List.of(), BreakAlert.alerts(tonight, new BigDecimal("1200.50"), "USD"), "at the threshold: no alert");
        assertEquals(List.of("new breaks: 3 not acknowledged, about 1,200.50 USD, above 1,200.49 USD "
                + "(1 of them without an amount in USD, not in the sum)"), BreakAlert.alerts(tonight, new BigDecimal("1200.49"), "USD"));
        assertEquals(List.of(), BreakAlert.alerts(BreakAlert.NewBreaks.NONE, BigDecimal.ZERO, "USD"));
    }
}
